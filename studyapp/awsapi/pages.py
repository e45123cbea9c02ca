"""The API access page: a learner's access keys for the SDK endpoint, and each key's policy.

A new key's secret is in the one response that creates it (uncompressed, so that it cannot
leak through a compression side channel, and not cached); it is never shown again.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from studyapp.accounts.apikeys import (
    DEFAULT_POLICY,
    MAX_ACTIVE_KEYS,
    TooManyKeys,
    api_key_create,
    api_key_revoke,
)
from studyapp.accounts.models import ApiKey
from studyapp.notes.markdown import render_markdown

from .access import policy_problem, principal_arn

MAX_POLICY_CHARS = 6_144  # AWS's limit for a managed policy


def _page(request: HttpRequest, *, status: int = 200, **extra) -> HttpResponse:
    keys = list(ApiKey.objects.filter(user=request.user))
    context = {
        "keys": keys,
        "active": [key for key in keys if key.active],
        "revoked": [key for key in keys if not key.active],
        "max_keys": MAX_ACTIVE_KEYS,
        "principal": principal_arn(request.user.get_username()),
        "endpoint": request.build_absolute_uri(reverse("awsapi:endpoint")),
        "default_policy": DEFAULT_POLICY,
        **extra,
    }
    return render(request, "awsapi/access.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def access(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    do = request.POST.get("do")
    if do == "create":
        try:
            key, secret = api_key_create(user=request.user)
        except TooManyKeys as error:
            return _page(request, status=400, error=str(error))
        response = _page(request, new_key=key, new_secret=secret)
        response["Content-Encoding"] = "identity"  # GZipMiddleware leaves it alone
        return response
    access_key_id = request.POST.get("key", "")
    if do == "revoke":
        if not api_key_revoke(user=request.user, access_key_id=access_key_id):
            return _page(request, status=400, error=_("No such active key."))
        messages.success(request, _("Key %(id)s is revoked.") % {"id": access_key_id})
        return redirect("awsapi:access")
    if do == "policy":
        return _save_policy(request, access_key_id, request.POST.get("policy", ""))
    return _page(request, status=400, error=_("Unknown action."))


def _save_policy(request: HttpRequest, access_key_id: str, text: str) -> HttpResponse:
    key = ApiKey.objects.filter(
        user=request.user, access_key_id=access_key_id, revoked_at=None
    ).first()
    if key is None:
        return _page(request, status=400, error=_("No such active key."))
    text = text.strip() or DEFAULT_POLICY
    problem = (
        _("A policy may have at most %(n)s characters.") % {"n": f"{MAX_POLICY_CHARS:,}"}
        if len(text) > MAX_POLICY_CHARS
        else policy_problem(text)
    )
    if problem:
        error = _("The policy of %(id)s was not saved: %(why)s") % {"id": key, "why": problem}
        return _page(request, status=400, error=error, draft={"key": key.pk, "text": text})
    key.policy = text
    key.save(update_fields=["policy"])
    messages.success(request, _("The policy of %(id)s is saved.") % {"id": key})
    return redirect("awsapi:access")


@lru_cache(maxsize=1)
def _guide_html() -> str:
    return render_markdown((settings.BASE_DIR / "docs" / "sdk.md").read_text()).html


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    """docs/sdk.md, the learners' guide to the endpoint, rendered once per process."""
    return render(request, "awsapi/guide.html", {"html": _guide_html()})
