"""Hostile input to every page and form of notes, accounts, cards, quizzes and sims: never a 500.

The project's standard: bad input (malformed JSON policy, oversized message, unknown id,
tampered form) gets a clear message and a 4xx, never a 500 and never lost data. The
endpoints come from the URL resolver, so a new view is swept without editing this file; a
new POST view without a sample body in ``BODIES`` fails ``test_every_post_view_has_a_body``.

Besides the status, every response is checked for two more things: an error response must
leave the learner's data (reviews, exam answers, cards, simulator sessions) as it was, and the
script payload must never come back unescaped. A query parameter holding a NUL character
fails here as it does on PostgreSQL (SQLite would store it), so that 500 shows up on SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from studyapp.cards import scheduling
from studyapp.cards.models import Card, ReviewLog
from studyapp.notes.models import Topic
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import ExamAttempt, ExamItem, Question
from studyapp.sims import iam_forms, kinesis_state, sqs_state
from studyapp.sims.views.sqs import ACTIONS as SQS_ACTIONS

pytestmark = pytest.mark.django_db

SWEPT = {
    "studyapp.notes.urls",
    "studyapp.accounts.urls",
    "studyapp.cards.urls",
    "studyapp.quizzes.urls",
    "studyapp.sims.urls",
}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
HTMX = {"HX-Request": "true"}

# -- hostile values -------------------------------------------------------------------------

HUGE = "x" * 2_000_000  # under DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): it reaches the view
DEEP_JSON = "[" * 50_000 + "]" * 50_000
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
VALUES: dict[str, Any] = {
    "empty": "",
    "nul": "a\x00b",
    "html": HTML,
    "long": "y" * 5_000,
    "list": ["1", "2", "<b>3</b>"],
    "inf": "1e309",
    "nan": "NaN",
    "negative": "-1",
    "huge-int": str(10**30),
    "unknown-id": "99999999",
    "float": "1.5",
    "json-list": "[1, 2, 3]",
    "json-string": '"Allow"',
    "json-null": "null",
    "json-deep": DEEP_JSON,
    "json-broken": '{"Version": "2012-10-17", "Statement": [',
    "unicode": "\u202e\U0001d54f\ufeff\u0301",
    "unicode-digit": "\u00b2",  # "²".isdigit() is True, yet int("²") raises
}
JUNK_PATH = {
    "int": ["0", "99999999", "9" * 30],
    "slug": ["does-not-exist", "-1", "s" * 600],  # int: no "-1", the converter refuses it
    "str": ["x" * 600, "%00", "%FF"],
    "path": ["../../pyproject.toml", "..%2F..%2Fpyproject.toml", "a%00.png", "p" * 600 + ".png"],
}
# Query strings every GET gets, whatever it reads: parameters the views know, with junk.
QUERIES = [
    "q=%3Cscript%3E&topic=does-not-exist&show=1&restart=1&all=1&run=1&preset=..%2F..%2Fx",
    "q=%FF%FE%00&topic=%00&topic=a&preset=%00&s=%00&next=//evil.example",
    "s=!!not-base64!!&preset=" + "p" * 600,
    "s=eJzLSM3JyQcABiwCFQ&topic=" + "t" * 600 + "&q=" + "q" * 5_000,
]

# -- the endpoints ----------------------------------------------------------------------------


def endpoints() -> list[tuple[str, str]]:
    """(url name, route) of every pattern included from SWEPT, in resolver order."""
    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str, namespace: str, inside: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = pattern.urlconf_name
                module = module if isinstance(module, str) else getattr(module, "__name__", "")
                space = ":".join(p for p in (namespace, pattern.namespace or "") if p)
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    space,
                    inside or module in SWEPT,
                )
            elif isinstance(pattern, URLPattern) and inside:
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                found.append((name, prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", "", False)
    return found


ENDPOINTS = endpoints()


class World:
    """What the requests point at: the learner's own objects, and someone else's."""

    def __init__(self, learner, other) -> None:
        now = scheduling.now_utc()
        self.learner = learner
        self.attempt = quiz_services.exam_start(user=learner, now=now)
        self.other_attempt = quiz_services.exam_start(user=other, now=now)
        self.item = self.attempt.items.select_related("question").get(position=1)
        self.card = Card.objects.visible_to(learner).order_by("pk").first()
        self.topic = Topic.objects.active().order_by("pk").first()
        self.question = Question.objects.active().order_by("pk").first()
        self.iam_fields = iam_forms.fields_from_scenario(
            iam_forms.load_preset(iam_forms.preset_names()[0])
        )
        self.sqs_queue = ""
        self.shards: list[str] = []

    def path_values(self, converter: str, name: str) -> list[str]:
        """Valid values for a path parameter, by its name."""
        if name == "attempt_id":
            return [str(self.attempt.pk)]
        if name == "position":
            return ["1", str(self.attempt.total)]
        if name == "slug":
            return [self.topic.slug]
        if name == "key":
            return [self.card.key]
        if name == "name":  # sims:sqs-action
            return list(SQS_ACTIONS)
        if name == "uidb64":
            return [urlsafe_base64_encode(force_bytes(self.learner.pk))]
        if name == "token":
            return [default_token_generator.make_token(self.learner)]
        return ["x.png" if converter == "path" else "x"]

    def urls(self, route: str) -> list[str]:
        """The route with valid values, then with junk in one parameter at a time."""
        params = PARAM.findall(route)

        def fill(values: dict[str, str]) -> str:
            return "/" + PARAM.sub(lambda m: values[m["name"]], route)

        first = {name: self.path_values(conv or "str", name)[0] for conv, name in params}
        urls = []
        for conv, name in params:
            for value in self.path_values(conv or "str", name)[1:]:
                urls.append(fill({**first, name: value}))
        urls.insert(0, fill(first))
        for conv, name in params:
            junk = list(JUNK_PATH[conv or "str"])
            if name == "attempt_id":
                junk.append(str(self.other_attempt.pk))  # someone else's exam: a 404
            for value in junk:
                urls.append(fill({**first, name: value}))
        return urls


# Sample bodies for each POST view: the fields it reads, with values that make sense (the
# sweep replaces one field at a time with each hostile value). None: the view reads nothing.
def _sqs_body(action: str, w: World) -> dict[str, Any] | None:
    q = w.sqs_queue
    return {
        "send": {"queue": q, "body": "hello", "delay": "0", "group": "", "dedup": ""},
        "batch": {"queue": q, "bodies": "a\nb", "delay": "0", "group": ""},
        "receive": {"consumer": "1", "queue": q, "max": "1", "visibility": "5", "wait": "0"},
        "delete": {"consumer": "1", "queue": q, "handle": "h"},
        "visibility": {"consumer": "1", "queue": q, "handle": "h", "timeout": "5"},
        "crash": {"consumer": "1"},
        "create": {
            "name": "new-queue",
            "fifo": "on",
            "visibility": "30",
            "retention": "60",
            "dedup_scope": "queue",
            "throughput": "perQueue",
            "dlq": q,
            "max_receive": "3",
        },
        "purge": {"queue": q},
        "delete-queue": {"queue": q},
        "advance": {"seconds": "5"},
        "play": {"speed": "1"},
    }.get(action)


BODIES: dict[str, Callable[[World], dict[str, Any] | None]] = {
    "signup": lambda w: {
        "username": "newbie",
        "email": "n@example.com",
        "password1": "Sturdy-pass-42!",
        "password2": "Sturdy-pass-42!",
    },
    "login": lambda w: {"username": "learner", "password": "wrong"},
    "logout": lambda w: None,
    "password_change": lambda w: {
        "old_password": "x",
        "new_password1": "Sturdy-pass-42!",
        "new_password2": "Sturdy-pass-42!",
    },
    "password_reset": lambda w: {"email": "learner@example.com"},
    "password_reset_confirm": lambda w: {
        "new_password1": "Sturdy-pass-42!",
        "new_password2": "Sturdy-pass-42!",
    },
    "cards:grade": lambda w: {
        "card": str(w.card.pk),
        "key": "stale-key",
        "rating": "3",
        "shown_at": "1",
        "topic": w.topic.slug,
    },
    "cards:undo": lambda w: {"topic": w.topic.slug},
    "cards:cram_grade": lambda w: {"card": str(w.card.pk), "rating": "1", "topic": ""},
    "cards:settings": lambda w: {
        "desired_retention": "0.9",
        "new_per_day": "20",
        "reviews_per_day": "200",
    },
    "cards:import_csv": lambda w: {
        "file": SimpleUploadedFile("cards.csv", b"front,back\nQ,A\n", "text/csv")
    },
    "quizzes:practice_answer": lambda w: {
        "question": str(w.question.pk),
        "token": "t" * 20,
        "choice": str(w.question.choices.first().pk),
        "topic": w.question.topic.slug,
    },
    "quizzes:exam_start": lambda w: None,
    "quizzes:exam_answer": lambda w: {
        "choice": str(w.item.choice_order[0]),
        "action": "next",
        "flagged": "1",
    },
    "quizzes:exam_finish": lambda w: None,
    "sims:iam-evaluate": lambda w: {**w.iam_fields, "add": "identity"},
    "sims:iam-validate": lambda w: {
        "field": "identity_0",
        "identity_0": w.iam_fields.get("identity_0", "{}"),
        "context": '{"aws:SourceIp": "203.0.113.7"}',
    },
    "sims:kinesis-preset": lambda w: {"name": kinesis_state.preset_choices()[0][0]},
    "sims:kinesis-reset": lambda w: {"shards": "2"},
    "sims:kinesis-advance": lambda w: {"seconds": "10"},
    "sims:kinesis-play": lambda w: {"on": "on"},
    "sims:kinesis-producer": lambda w: {
        "strategy": "skewed",
        "rate": "10",
        "size": "100",
        "key": "hot",
        "hot_share": "0.5",
        "seconds": "1",
        "do": "run",
    },
    "sims:kinesis-put": lambda w: {
        "partition_key": "k",
        "data": "d",
        "explicit_hash_key": "12345",
    },
    "sims:kinesis-split": lambda w: {"shard": w.shards[0], "hash_key": "1", "at": "0.25"},
    "sims:kinesis-merge": lambda w: {"shard": w.shards[0], "adjacent": w.shards[-1]},
    "sims:kinesis-scale": lambda w: {"target": "3"},
    "sims:kinesis-retention": lambda w: {
        "action": "IncreaseStreamRetentionPeriod",
        "hours": "48",
    },
    "sims:kinesis-iterator": lambda w: {
        "shard": w.shards[0],
        "type": "AT_TIMESTAMP",
        "sequence_number": "1",
        "timestamp": "5",
    },
    "sims:kinesis-records": lambda w: {"shard": w.shards[0], "limit": "10"},
    "sims:kinesis-forget": lambda w: {"shard": w.shards[0]},
    "sims:sqs-preset": lambda w: {"preset": sqs_state.preset_names()[0]},
    "sims:sqs-reset": lambda w: {"seed": "1", "duplicates": "10", "reorder": "10"},
    "sims:sqs-action": lambda w: None,  # per action: see _sqs_body
}
# POST views that need no field: an empty or junk body is a normal request, not a 4xx.
BODY_OPTIONAL = {
    "logout",
    "cards:undo",
    "quizzes:exam_start",
    "quizzes:exam_answer",  # no choice: the question is skipped, as "Next" does
    "quizzes:exam_finish",
    "sims:kinesis-play",
    "sims:sqs-reset",
}
SQS_BODY_OPTIONAL = {"tick", "preset-step", "preset-rest"}
# Django's own auth views answer a form with errors with a 200 (login, password change) or
# always redirect (password reset, so as not to reveal who has an account).
AUTH_VIEWS = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def is_post_view(name: str) -> bool:
    return name in BODIES


# -- what must hold for every response -------------------------------------------------------


def _reject_nul(execute, sql, params, many, context):
    """PostgreSQL refuses NUL in a string; SQLite stores it. Fail here as PostgreSQL would."""
    rows = (params or ()) if many else [params or ()]
    for row in rows:
        values = row.values() if isinstance(row, dict) else row
        if any(isinstance(value, str) and "\x00" in value for value in values):
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


def _stored_session(client: Client) -> str:
    """The session as stored, signed: equal means unchanged, without decoding it."""
    key = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    row = Session.objects.filter(pk=key.value if key else "").values_list("session_data").first()
    return row[0] if row else ""


def _sims_state(stored: str) -> tuple:
    data = SessionStore().decode(stored) if stored else {}
    return data.get(sqs_state.SESSION_KEY), data.get(kinesis_state.SESSION_KEY)


def _fingerprint(client: Client, user) -> tuple:
    """The learner's data that an error response must leave alone (session: as stored)."""
    return (
        _stored_session(client),
        ReviewLog.objects.filter(user=user).count(),
        sorted(
            ExamItem.objects.filter(attempt__user=user).values_list("pk", "selected", "flagged")
        ),
        sorted(ExamAttempt.objects.filter(user=user).values_list("pk", "finished_at")),
        Card.objects.filter(owner=user).count(),
    )


class Sweep:
    """Sends requests, keeps every failure, so one run lists all of an endpoint's 500s."""

    def __init__(self, client: Client, user) -> None:
        self.client = client
        self.user = user
        self.failures: list[str] = []
        self.count = 0

    def send(
        self,
        method: str,
        url: str,
        *,
        case: str,
        data: Any = None,
        htmx: bool = False,
        expect_4xx: bool = False,
        raw: bytes | None = None,
        content_type: str = "",
    ):
        headers = HTMX if htmx else {}
        before = _fingerprint(self.client, self.user) if self.user else None
        with connection.execute_wrapper(_reject_nul):
            if raw is not None:
                response = self.client.generic(
                    method, url, raw, content_type=content_type, headers=headers
                )
            elif method == "GET":
                response = self.client.get(url, headers=headers)
            else:
                response = self.client.post(url, data or {}, headers=headers)
        self.count += 1
        status = response.status_code
        where = f"{method} {url[:120]} [{case}{', htmx' if htmx else ''}] -> {status}"
        body = b"" if response.streaming else response.content
        if status >= 500:
            self.failures.append(where)
        elif HTML.encode() in body:
            self.failures.append(f"{where} and shows the script unescaped")
        elif expect_4xx and not 400 <= status < 500:
            self.failures.append(f"{where}, expected a 4xx")
        elif status >= 400 and before is not None:
            after = _fingerprint(self.client, self.user)
            # A session saved again is fine (a timestamp, a message) if the sims are as they were.
            same_session = after[0] == before[0] or _sims_state(after[0]) == _sims_state(before[0])
            if after[1:] != before[1:] or not same_session:
                self.failures.append(f"{where} and changed the learner's data")
        return response


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Login and password forms hash on every request; PBKDF2 would make the sweep slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(learner, other_learner) -> World:
    return World(learner, other_learner)


@pytest.fixture
def sweep(client, learner) -> Sweep:
    client.raise_request_exception = False
    client.force_login(learner)
    return Sweep(client, learner)


def _load_sims(sweep: Sweep, world: World) -> None:
    """Give the session a small stream and a queue with a message, so bad input reaches the
    engines (a preset's bigger state would only make every request slower)."""
    client = sweep.client
    assert client.post(reverse("sims:kinesis-reset"), {"shards": "2"}).status_code == 302
    put = {"partition_key": "k", "data": "d", "explicit_hash_key": ""}
    assert client.post(reverse("sims:kinesis-put"), put).status_code == 302
    world.shards = kinesis_state.load(client.session).shard_ids(open_only=True)
    assert _stored_session(client), "the data check must see the stored session"
    world.sqs_queue = "orders"
    for action, data in (
        ("create", {"name": "orders"}),
        ("send", {"queue": "orders", "body": "m"}),
    ):
        response = client.post(reverse("sims:sqs-action", args=[action]), data)
        assert response.status_code == 302


def _bodies(name: str, url: str, world: World) -> dict[str, Any] | None:
    if name == "sims:sqs-action":
        return _sqs_body(url.rstrip("/").rsplit("/", 1)[-1], world)
    return BODIES[name](world)


def _mutations(base: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(field, kind, value): every field of the sample body with every hostile value."""
    fields = [key for key in base if key != "file"] or ["field", "id", "name"]
    for field in fields:
        for kind, value in VALUES.items():
            yield field, kind, value


def _raw_cases(keys: list[str]) -> dict[str, tuple[bytes, str]]:
    form = "application/x-www-form-urlencoded"
    return {
        "non-UTF-8 form": ("&".join(f"{k}=%FF%FE%C0" for k in keys).encode(), form),
        "raw bytes": (b"\xff\xfe\x00" + keys[0].encode() + b"=\xc0\x80", form),
        "JSON list": (b"[1, 2, 3]", "application/json"),
        "deep JSON": (DEEP_JSON.encode(), "application/json"),
        "bad multipart": (
            b"--x\r\nContent-Disposition: form-data\r\n",
            "multipart/form-data; boundary=x",
        ),
        "too many fields": ("&".join(f"f{i}=1" for i in range(1200)).encode(), form),
    }


def _sweep_endpoint(sweep: Sweep, world: World, name: str, route: str) -> None:
    urls = world.urls(route)
    post_view = is_post_view(name)
    for number, url in enumerate(urls):
        htmx = bool(number % 2)
        last = url.rstrip("/").rsplit("/", 1)[-1]
        valid_url = number == 0 or (name == "sims:sqs-action" and last in SQS_ACTIONS)
        sweep.send("GET", url, case="plain", htmx=htmx)
        if not post_view:
            if number == 0:
                for query in QUERIES:
                    htmx = not htmx
                    sweep.send("GET", f"{url}?{query}", case="query", htmx=htmx)
            sweep.send("POST", url, case="post to a GET view", data={"q": "x"}, htmx=htmx)
            continue
        optional = name in BODY_OPTIONAL or name in AUTH_VIEWS or last in SQS_BODY_OPTIONAL
        strict = valid_url and not optional and name != "signup"  # signup: logged in, redirected
        for flag in (False, True):
            sweep.send("POST", url, case="empty body", htmx=flag, expect_4xx=strict)
        if not valid_url:
            continue
        base = _bodies(name, url, world) or {}
        for field, kind, value in _mutations(base):
            htmx = not htmx
            body = {**base, field: value}
            if "file" in base:
                body["file"] = _bodies(name, url, world)["file"]
            sweep.send("POST", url, case=f"{field}={kind}", data=body, htmx=htmx)
        if number > 0:
            continue  # the other sqs actions: the whole-body cases once is enough
        keys = [key for key in base if key != "file"] or ["field"]
        sweep.send("POST", url, case="2 MB", data={**base, keys[0]: HUGE}, htmx=htmx)
        for case, (raw, content_type) in _raw_cases(keys).items():
            htmx = not htmx
            sweep.send("POST", url, case=case, raw=raw, content_type=content_type, htmx=htmx)


# -- the tests --------------------------------------------------------------------------------


def test_the_sweep_finds_the_endpoints():
    names = {name for name, _route in ENDPOINTS}
    assert {
        "notes:search",
        "cards:grade",
        "quizzes:exam_answer",
        "sims:sqs-action",
        "signup",
    } <= names
    assert not any(name.startswith("live:") for name in names)
    assert not any(route.startswith("live/") for _name, route in ENDPOINTS)


def test_every_post_view_has_a_body(client, learner):
    """A POST-only view answers GET with 405; each needs an entry in BODIES to be swept well."""
    client.raise_request_exception = False
    client.force_login(learner)
    world = World(learner, learner)
    missing = []
    for name, route in ENDPOINTS:
        url = world.urls(route)[0]
        if client.get(url).status_code == 405 and name not in BODIES:
            missing.append(name)
    assert missing == []


@pytest.mark.parametrize(("name", "route"), ENDPOINTS, ids=[name for name, _r in ENDPOINTS])
def test_hostile_input_never_gets_a_500(sweep, world, name, route):
    if name.startswith("sims:"):
        _load_sims(sweep, world)
    _sweep_endpoint(sweep, world, name, route)
    assert not sweep.failures, f"{len(sweep.failures)} of {sweep.count} failed:\n" + "\n".join(
        sweep.failures
    )


@pytest.mark.parametrize("who", ["anonymous", "instructor"])
def test_every_page_answers_anyone(client, learner, instructor, who, world):
    client.raise_request_exception = False
    user = None
    if who == "instructor":
        client.force_login(instructor)
        user = instructor
    sweep = Sweep(client, user)
    for _name, route in ENDPOINTS:
        for url in world.urls(route)[:2]:
            for htmx in (False, True):
                sweep.send("GET", url, case=who, htmx=htmx)
                sweep.send("POST", url, case=who, htmx=htmx)
    assert not sweep.failures, "\n".join(sweep.failures)


def _iter_tampered(world: World) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """(case, url, body, text the answer must show): tampered forms the views must refuse."""
    answer = reverse("quizzes:exam_answer", args=[world.attempt.pk, 1])
    yield "unknown choice id", answer, {"choice": "99999999"}, "does not belong"
    yield (
        "choice list too long",
        answer,
        {"choice": [str(i) for i in range(11)]},
        "could not be read",
    )
    yield "choice not a number", answer, {"choice": "1e309"}, "could not be read"
    grade = reverse("cards:grade")
    yield "unknown card", grade, {"card": "99999999", "key": "k", "rating": "3"}, "does not exist"
    yield (
        "rating out of range",
        grade,
        {"card": str(world.card.pk), "key": "k", "rating": "7"},
        "could not be read",
    )
    yield "unknown topic", grade, {"card": "1", "key": "k", "rating": "3", "topic": "nope"}, ""
    practice = reverse("quizzes:practice_answer")
    yield "unknown question", practice, {"question": "99999999", "token": "t"}, "does not exist"
    send = reverse("sims:sqs-action", args=["send"])
    oversized = "m" * (sqs_state.MAX_BODY_BYTES + 1)
    yield "oversized message", send, {"queue": world.sqs_queue, "body": oversized}, "at most 1 MiB"
    evaluate = reverse("sims:iam-evaluate")
    yield (
        "malformed JSON policy",
        evaluate,
        {**world.iam_fields, "identity_0": '{"Statement": ['},
        "Identity-based policy 1",
    )
    yield (
        "policy is not an object",
        evaluate,
        {**world.iam_fields, "identity_0": "[1, 2]"},
        "Identity-based policy 1",
    )
    yield (
        "policy nested too deeply",
        evaluate,
        {**world.iam_fields, "identity_0": DEEP_JSON},
        "Identity-based policy 1",
    )
    yield "context not an object", evaluate, {**world.iam_fields, "context": '"x"'}, "Context keys"
    validate = reverse("sims:iam-validate")
    yield (
        "unknown editor",
        validate,
        {"field": "identity_999", "identity_999": "{}"},
        "Unknown field",
    )
    put = reverse("sims:kinesis-put")
    yield (
        "hash key out of range",
        put,
        {"partition_key": "k", "data": "d", "explicit_hash_key": str(2**128)},
        "hash key",
    )
    iterator = reverse("sims:kinesis-iterator")
    yield "unknown shard", iterator, {"shard": "shardId-999", "type": "LATEST"}, "There is no shard"
    producer = reverse("sims:kinesis-producer")
    body = {**BODIES["sims:kinesis-producer"](world), "hot_share": "NaN"}
    yield "NaN share", producer, body, "Hot key share"
    yield "unknown sqs action", reverse("sims:sqs-action", args=["drop-tables"]), {}, ""
    yield "unknown kinesis preset", reverse("sims:kinesis-preset"), {"name": "../../x"}, ""
    yield "unknown sqs preset", reverse("sims:sqs-preset"), {"preset": "../../x"}, ""
    csv_upload = reverse("cards:import_csv")
    latin1 = SimpleUploadedFile("c.csv", "front,back\nCafé,Thé\n".encode("latin-1"))
    yield "CSV not UTF-8", csv_upload, {"file": latin1}, "not UTF-8"
    extra = SimpleUploadedFile("c.csv", b"front,back\nQ,A,surplus,cells\n")
    yield "CSV row with extra cells", csv_upload, {"file": extra}, "line 2"
    nul = SimpleUploadedFile("c.csv", b"front,back\nQ\x00,A\n")
    yield "CSV with NUL", csv_upload, {"file": nul}, "line 2"
    big = SimpleUploadedFile("c.csv", b"front,back\n" + b"Q,A\n" * 300_000)
    yield "CSV over 1 MB", csv_upload, {"file": big}, "larger than 1 MB"


def test_tampered_forms_get_a_4xx_with_a_message(sweep, world):
    _load_sims(sweep, world)
    cases = list(_iter_tampered(world))
    for case, url, body, text in cases:
        for htmx in (False, True):
            if hasattr(body.get("file"), "seek"):
                body["file"].seek(0)
            response = sweep.send("POST", url, case=case, data=body, htmx=htmx, expect_4xx=True)
            if text and text not in response.content.decode(errors="replace"):
                sweep.failures.append(f"{case}{' htmx' if htmx else ''}: no message {text!r}")
    assert not sweep.failures, "\n".join(sweep.failures)
    assert len(cases) >= 20
