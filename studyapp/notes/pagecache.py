"""Rendered topic pages (the notes' and the study guide's), cached per language and content
version in the cache backend (Redis when REDIS_URL is set), so a page is rendered once per
content load rather than once per request (issue #21).

Only what is the same for every reader is cached: the page's body. The learner's parts (the
menu, the CSRF token, "continue reading") are rendered around it for each request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language

from .models import Erratum, TaskStatement, Topic

VERSION_KEY = "notes:content-version"
# The loader forgets the version when it has loaded content; a server whose cache the loader
# cannot reach (the per-process default, with no Redis) notices within this many seconds.
VERSION_SECONDS = 60
PAGE_SECONDS = 24 * 3600


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _fingerprint()
        cache.set(VERSION_KEY, version, VERSION_SECONDS)
    return version


def _fingerprint() -> str:
    """The notes and guide as loaded: every topic and erratum, by what a page shows of it."""
    digest = hashlib.sha256()
    for rows in (
        Topic.objects.order_by("pk").values_list(
            "pk",
            "content_hash",
            "retired",
            "order",
            "parent_id",
            "title",
            "covers_id",
            "home_task_id",
        ),
        TaskStatement.objects.order_by("pk").values_list("pk", "code", "title"),
        Erratum.objects.order_by("pk").values_list("pk", "content_hash", "topic_id"),
    ):
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()[:16]


def content_changed() -> None:
    """Called by the loader: every cached page is of an older version from now on."""
    cache.delete(VERSION_KEY)


def topic_body(topic: Topic, counts: dict[str, int], render: Callable[[], str]) -> str:
    """The page body of a topic; `counts` (its cards and questions, read live) are in the key."""
    key = ":".join(
        str(part)
        for part in (
            "notes:topic",
            topic.pk,
            get_language(),
            content_version(),
            counts["cards"],
            counts["questions"],
        )
    )
    body = cache.get(key)
    if body is None:
        body = render()
        cache.set(key, body, PAGE_SECONDS)
    return body
