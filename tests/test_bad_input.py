"""Hostile input to every page and form of notes, accounts, cards, quizzes, sims, live
quizzes and classrooms: never a 500.

The project's standard: bad input (malformed JSON policy, oversized message, unknown id,
tampered form) gets a clear message and a 4xx, never a 500 and never lost data. The
endpoints come from the URL resolver, so a new view is swept without editing this file; a
new POST view without a sample body in ``BODIES`` fails ``test_every_post_view_has_a_body``.

Besides the status, every response is checked for more: an error response must leave the
learner's data (reviews, exam answers, cards, simulator sessions, classroom material and
homework) as it was, the script payload must never come back unescaped, and a classroom page
that refuses a form (400, 409) must say why. A query parameter holding a NUL character
fails here as it does on PostgreSQL (SQLite would store it), so that 500 shows up on SQLite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from studyapp.accounts.roles import INSTRUCTOR_GROUP
from studyapp.cards import scheduling
from studyapp.cards.models import Card, ReviewLog
from studyapp.classroom import questions as classroom_questions
from studyapp.classroom import services as classroom_services
from studyapp.classroom import sources as classroom_sources
from studyapp.classroom.models import (
    Assignment,
    Attempt,
    Cohort,
    Membership,
    QuestionSetItem,
)
from studyapp.live import services as live_services
from studyapp.notes.models import TaskStatement, Topic
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import ExamAttempt, ExamItem, Question
from studyapp.sims import presets
from studyapp.sims import state as sims_state
from studyapp.sims.dynamodb import views as dynamodb_views
from studyapp.sims.iam import service as iam_service
from studyapp.sims.kinesis import views as kinesis_views
from studyapp.sims.kinesis.simulation import KinesisSimulation
from studyapp.sims.models import SimulatorState
from studyapp.sims.sqs import simulation as sqs_simulation
from studyapp.sims.sqs import views as sqs_views

pytestmark = pytest.mark.django_db

SWEPT = {
    "studyapp.notes.urls",
    "studyapp.accounts.urls",
    "studyapp.cards.urls",
    "studyapp.quizzes.urls",
    "studyapp.sims.urls",
    "studyapp.live.urls",
    "studyapp.classroom.urls",
}
# Pages whose refusals (400, 409) must show the reason: a form error or an error message
# (or the site's 400 page for a request Django could not even parse, such as too many fields).
SAYS_WHY = ("/classroom/",)
SAID_WHY = re.compile(rb'class="errorlist|class="message message-error|<h1>Bad request</h1>')
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
    "s=!!not-base64!!&preset=" + "p" * 600 + "&task=%00",
    "s=eJzLSM3JyQcABiwCFQ&topic=" + "t" * 600 + "&q=" + "q" * 5_000 + "&task=" + "k" * 600,
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
        self.iam_fields = iam_service.fields_from_scenario(presets.available(presets.IAM)[0].data)
        self.sqs_queue = ""
        self.shards: list[str] = []
        # A live quiz the learner hosts (as an instructor), with a player in its lobby.
        learner.groups.add(Group.objects.get_or_create(name=INSTRUCTOR_GROUP)[0])
        self.live = live_services.session_create(
            host=learner, title="Sweep", questions=list(Question.objects.active()[:3])
        )
        self.player, _token = live_services.player_join(session=self.live, nickname="swept")
        self._classroom(learner, other, now)

    def _classroom(self, learner, other, now) -> None:
        """The learner teaches a cohort (the other learner in it) homework of a set holding
        a question of their own; and is taught, with homework started, in someone else's."""
        teacher = type(learner).objects.create_user("sweep-teacher", password=None)
        teacher.groups.add(Group.objects.get(name=INSTRUCTOR_GROUP))
        bank = list(Question.objects.active().filter(kind="single")[:2])
        self.own_question = _classroom_question(learner)
        self.their_question = _classroom_question(teacher)
        self.set = classroom_services.set_create(owner=learner, title="Sweep set")
        classroom_services.set_add(question_set=self.set, questions=[self.own_question, bank[0]])
        self.their_set = classroom_services.set_create(owner=teacher, title="Their set")
        classroom_services.set_add(question_set=self.their_set, questions=bank)
        self.cohort = classroom_services.cohort_create(owner=learner, name="Sweep cohort")
        Membership.objects.get_or_create(cohort=self.cohort, learner=other)
        self.member = other
        self.their_cohort = classroom_services.cohort_create(owner=teacher, name="Their cohort")
        self.other_cohort = classroom_services.cohort_create(owner=teacher, name="Not mine")
        classroom_services.cohort_join(token=self.their_cohort.invite_token, learner=learner)
        window = {"opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=1)}
        self.assignment = classroom_services.assignment_create(
            cohort=self.cohort, title="Mine", kind="set", question_set=self.set, **window
        )
        self.homework = classroom_services.assignment_create(
            cohort=self.their_cohort, title="Theirs", kind="set", question_set=self.their_set,
            **window,
        )  # fmt: skip
        self.not_mine = classroom_services.assignment_create(
            cohort=self.other_cohort, title="Not for me", kind="set",
            question_set=self.their_set, **window,
        )  # fmt: skip
        classroom_services.attempt_start(assignment=self.homework, learner=learner, now=now)

    @property
    def not_mine_ids(self) -> dict[str, list[int]]:
        return {
            "attempt_id": [self.other_attempt.pk],
            "question_id": [self.their_question.pk],
            "set_id": [self.their_set.pk],
            "cohort_id": [self.other_cohort.pk],
            "assignment_id": [self.not_mine.pk],
        }

    def path_values(self, converter: str, name: str, url_name: str = "") -> list[str]:
        """Valid values for a path parameter, by its name (and the URL's, for sims actions)."""
        if name == "attempt_id":
            return [str(self.attempt.pk)]
        if name == "position":
            return ["1", str(self.attempt.total)]
        if name == "slug":
            return [self.topic.slug]
        if name == "key":
            return [self.card.key]
        if name == "action" and url_name in SIM_ACTIONS:  # sims:<simulator>-action
            return list(SIM_ACTIONS[url_name])
        if name == "session_id":
            return [str(self.live.pk)]
        if name == "player_id":
            return [str(self.player.pk)]
        if name == "code":
            return [self.live.code, "000000"]
        if name == "question_id":
            return [str(self.own_question.pk)]
        if name == "set_id":
            return [str(self.set.pk)]
        if name == "cohort_id":  # taught, then joined
            return [str(self.cohort.pk), str(self.their_cohort.pk)]
        if name == "learner_id":
            return [str(self.member.pk)]
        if name == "assignment_id":  # homework the learner started, then their own to teach
            return [str(self.homework.pk), str(self.assignment.pk)]
        if name == "token" and url_name == "classroom:join":
            return [self.other_cohort.invite_token, self.their_cohort.invite_token]
        if name == "uidb64":
            return [urlsafe_base64_encode(force_bytes(self.learner.pk))]
        if name == "token":
            return [default_token_generator.make_token(self.learner)]
        return ["x.png" if converter == "path" else "x"]

    def urls(self, route: str, url_name: str = "") -> list[str]:
        """The route with valid values, then with junk in one parameter at a time."""
        params = PARAM.findall(route)

        def fill(values: dict[str, str]) -> str:
            return "/" + PARAM.sub(lambda m: values[m["name"]], route)

        first = {name: self.path_values(conv or "str", name, url_name)[0] for conv, name in params}
        urls = []
        for conv, name in params:
            for value in self.path_values(conv or "str", name, url_name)[1:]:
                urls.append(fill({**first, name: value}))
        urls.insert(0, fill(first))
        for conv, name in params:
            junk = list(JUNK_PATH[conv or "str"])
            junk += [str(pk) for pk in self.not_mine_ids.get(name, ())]  # someone else's: 404
            for value in junk:
                urls.append(fill({**first, name: value}))
        return urls


def _classroom_question(owner) -> Question:
    draft = classroom_questions.QuestionDraft(
        stem="Which service stores Lambda deployment packages?",
        explanation="Large packages go through S3.",
        task=TaskStatement.objects.order_by("order").first(),
        choices=[
            classroom_questions.ChoiceDraft("S3", True),
            classroom_questions.ChoiceDraft("SQS"),
        ],
    )
    return classroom_questions.question_save(owner=owner, draft=draft)


def _question_form(w: World) -> dict[str, Any]:
    return {
        "stem": "Which **one** stores the code?",
        "task": str(w.own_question.task_id),
        "difficulty": "2",
        "explanation": "S3 does.",
        "sources": "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html",
        "choice_0": "S3",
        "correct_0": "on",
        "choice_1": "SQS",
        "why_1": "A queue.",
        "share": str(w.cohort.pk),
    }


def _question_file(w: World) -> SimpleUploadedFile:
    entry = {"task": w.own_question.task.code, "stem": "Q", "explanation": "E",
             "choices": [{"text": "A", "correct": True}, {"text": "B"}]}  # fmt: skip
    return SimpleUploadedFile("q.json", json.dumps([entry]).encode(), "application/json")


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


def _kinesis_body(action: str, w: World) -> dict[str, Any] | None:
    return {
        "advance": {"seconds": "10"},
        "play": {"on": "on"},
        "producer": {
            "strategy": "skewed",
            "rate": "10",
            "size": "100",
            "key": "hot",
            "hot_share": "0.5",
            "seconds": "1",
            "do": "run",
        },
        "put": {"partition_key": "k", "data": "d", "explicit_hash_key": "12345"},
        "split": {"shard": w.shards[0], "hash_key": "1", "at": "0.25"},
        "merge": {"shard": w.shards[0], "adjacent": w.shards[-1]},
        "scale": {"target": "3"},
        "retention": {"action": "IncreaseStreamRetentionPeriod", "hours": "48"},
        "iterator": {
            "shard": w.shards[0],
            "type": "AT_TIMESTAMP",
            "sequence_number": "1",
            "timestamp": "5",
        },
        "records": {"shard": w.shards[0], "limit": "10"},
        "forget": {"shard": w.shards[0]},
    }.get(action)


def _iam_body(action: str, w: World) -> dict[str, Any] | None:
    return {
        "evaluate": {**w.iam_fields, "add": "identity"},
        "validate": {
            "field": "identity_0",
            "identity_0": w.iam_fields.get("identity_0", "{}"),
            "context": '{"aws:SourceIp": "203.0.113.7"}',
        },
    }.get(action)


def _dynamodb_body(action: str, w: World) -> dict[str, Any] | None:
    item = '{"pk": {"S": "a"}, "n": {"N": "1"}}'
    update = {"update": "SET n = n + :one", "values": '{":one": {"N": "1"}}'}
    return {
        "item": {
            "table": "swept",
            "operation": "PutItem",
            "item": item,
            "condition": "n > :one",
            "values": update["values"],
        },
        "preview": {"table": "swept", "operation": "UpdateItem", "item": item, **update},
        "read": {
            "table": "swept",
            "operation": "Query",
            "key_condition": "pk = :p",
            "filter": "n > :n",
            "projection": "pk, n",
            "values": '{":p": {"S": "a"}, ":n": {"N": "0"}}',
            "limit": "2",
        },
        "workload": {
            "table": "swept",
            "operation": "PutItem",
            "rate": "10",
            "seconds": "1",
            "keys": "5",
            "size": "100",
            "hot_key": "a",
            "hot_share": "0.5",
        },
        "create-table": {
            "name": "another",
            "pk": "id",
            "pk_type": "S",
            "mode": "PROVISIONED",
            "rcu": "5",
            "wcu": "5",
            "gsi": "byN",
            "gsi_pk": "n",
            "gsi_pk_type": "N",
            "sk_type": "S",
            "gsi_sk_type": "S",
            "gsi_projection": "KEYS_ONLY",
        },
        "capacity": {"table": "swept", "mode": "PROVISIONED", "rcu": "10", "wcu": "10"},
        "delete-table": {"table": "swept"},
        "pick": {"table": "swept", "key": '{"pk": {"S": "a"}}'},
        "advance": {"seconds": "5"},
    }.get(action)


# Every simulator routes its actions as ``<simulator>/do/<action>/``: their names and bodies.
SIM_ACTIONS = {
    "sims:sqs-action": list(sqs_views.ACTIONS),
    "sims:kinesis-action": list(kinesis_views.ACTIONS),
    "sims:iam-action": ["evaluate", "validate"],
    "sims:dynamodb-action": [*dynamodb_views.ACTIONS, dynamodb_views.PREVIEW],
}
SIM_BODIES = {
    "sims:sqs-action": _sqs_body,
    "sims:kinesis-action": _kinesis_body,
    "sims:iam-action": _iam_body,
    "sims:dynamodb-action": _dynamodb_body,
}


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
    "sims:iam-action": lambda w: None,  # per action: see _iam_body
    "sims:kinesis-preset": lambda w: {"name": presets.available(presets.KINESIS)[0].name},
    "sims:kinesis-reset": lambda w: {"shards": "2"},
    "sims:kinesis-action": lambda w: None,  # per action: see _kinesis_body
    "sims:sqs-preset": lambda w: {"preset": presets.available(presets.SQS)[0].name},
    "sims:sqs-reset": lambda w: {"seed": "1", "duplicates": "10", "reorder": "10"},
    "sims:sqs-action": lambda w: None,  # per action: see _sqs_body
    "sims:dynamodb-preset": lambda w: {"preset": presets.available(presets.DYNAMODB)[0].name},
    "sims:dynamodb-reset": lambda w: {},
    "sims:dynamodb-action": lambda w: None,  # per action: see _dynamodb_body
    "live:new": lambda w: {
        "title": "Quiz",
        "source": "topic",
        "topic": str(w.question.topic.pk),
        "count": "3",
        "time_limit": "20",
    },
    "live:kick": lambda w: None,
    "live:lock": lambda w: {"locked": "1"},
    **{
        f"live:{action}": (lambda w: {"version": str(w.live.version)})
        for action in ("start", "next", "pause", "resume", "skip", "end")
    },
    "live:join": lambda w: {"code": w.live.code, "nickname": "newcomer"},
    "live:answer": lambda w: {"question": "1", "choice": "A"},
    "classroom:question_new": _question_form,
    "classroom:question_edit": _question_form,
    "classroom:preview": lambda w: {"stem": "**bold**", "explanation": "`code`"},
    "classroom:question_import": lambda w: {"file": _question_file(w)},
    "classroom:question_retire": lambda w: None,
    "classroom:sets": lambda w: {"title": "Week 2"},
    "classroom:set_add": lambda w: {"question": [str(w.question.pk), str(w.own_question.pk)]},
    "classroom:set_generate": lambda w: {
        "kind": (classroom_sources.generated_kinds() or ("none",))[0],
        "count": "1",
    },
    "classroom:set_remove": lambda w: None,
    "classroom:set_live": lambda w: None,
    "classroom:cohorts": lambda w: {"name": "Evening class"},
    "classroom:cohort_invite": lambda w: None,
    "classroom:cohort_remove": lambda w: None,
    "classroom:assignment_create": lambda w: {
        "title": "Homework",
        "kind": "set",
        "question_set": str(w.set.pk),
        "opens_at": "2026-05-04T09:00",
        "closes_at": "2026-05-06T09:00",
    },
    "classroom:join": lambda w: None,
    "classroom:assignment_start": lambda w: None,
    "classroom:assignment_submit": lambda w: {"q1": "1", "q2": "2"},
}
# POST views that need no field: an empty or junk body is a normal request, not a 4xx.
BODY_OPTIONAL = {
    "logout",
    "live:kick",
    "live:lock",  # no "locked": reopen the lobby
    *(f"live:{action}" for action in ("start", "next", "pause", "resume", "skip", "end")),
    "cards:undo",
    "quizzes:exam_start",
    "quizzes:exam_answer",  # no choice: the question is skipped, as "Next" does
    "quizzes:exam_finish",
    "sims:sqs-reset",
    "sims:dynamodb-reset",
    "classroom:preview",  # nothing typed yet: an empty preview
    "classroom:question_retire",
    "classroom:set_remove",
    "classroom:set_live",
    "classroom:cohort_invite",
    "classroom:cohort_remove",
    "classroom:join",
    "classroom:assignment_start",
    "classroom:assignment_submit",  # nothing ticked: handed in blank
}
SIM_BODY_OPTIONAL = {
    ("sims:sqs-action", "tick"),
    ("sims:sqs-action", "preset-step"),
    ("sims:sqs-action", "preset-rest"),
    ("sims:kinesis-action", "play"),
    ("sims:dynamodb-action", "next-page"),
    ("sims:dynamodb-action", "preset-step"),
    ("sims:dynamodb-action", "preset-rest"),
    # a preview of an unfinished item is the normal case while typing: htmx gets a 200
    ("sims:dynamodb-action", "preview"),
}
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


def _sims_state(user) -> list:
    """The learner's simulators as stored: every save gives a new stamp."""
    rows = SimulatorState.objects.filter(user=user)
    return sorted(rows.values_list("simulator", "stamp", "size"))


def _fingerprint(client: Client, user) -> tuple:
    """The learner's data that an error response must leave alone (session: as stored)."""
    return (
        _stored_session(client),
        _sims_state(user),
        ReviewLog.objects.filter(user=user).count(),
        sorted(
            ExamItem.objects.filter(attempt__user=user).values_list("pk", "selected", "flagged")
        ),
        sorted(ExamAttempt.objects.filter(user=user).values_list("pk", "finished_at")),
        Card.objects.filter(owner=user).count(),
        sorted(Question.objects.filter(owner=user).values_list("pk", "retired", "stem_text")),
        sorted(QuestionSetItem.objects.filter(question_set__owner=user).values_list("pk")),
        sorted(Cohort.objects.filter(owner=user).values_list("pk", "invite_token")),
        sorted(Membership.objects.filter(cohort__owner=user).values_list("pk")),
        sorted(Assignment.objects.filter(cohort__owner=user).values_list("pk")),
        sorted(Attempt.objects.filter(learner=user).values_list("pk", "submitted_at")),
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
        elif status in (400, 409) and url.startswith(SAYS_WHY) and not SAID_WHY.search(body):
            self.failures.append(f"{where} without saying why")
        elif status >= 400 and before is not None:
            after = _fingerprint(self.client, self.user)
            # A session saved again is fine (a timestamp, a message); the simulators keep their
            # state in the database, compared as stored.
            if after[1:] != before[1:]:
                self.failures.append(f"{where} and changed the learner's data")
        return response


# -- fixtures ---------------------------------------------------------------------------------


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
    assert client.post(reverse("sims:kinesis-action", args=["put"]), put).status_code == 302
    with sims_state.view(sims_state.Owner(sweep.user.pk), KinesisSimulation) as simulation:
        world.shards = simulation.shard_ids(open_only=True)
    world.sqs_queue = "orders"
    for action, data in (
        ("create", {"name": "orders"}),
        ("send", {"queue": "orders", "body": "m"}),
    ):
        response = client.post(reverse("sims:sqs-action", args=[action]), data)
        assert response.status_code == 302
    table = {
        "name": "swept",
        "pk": "pk",
        "pk_type": "S",
        "sk_type": "S",
        "mode": "PAY_PER_REQUEST",
        "gsi_pk_type": "S",
        "gsi_sk_type": "S",
        "gsi_projection": "ALL",
    }
    item = {"table": "swept", "operation": "PutItem", "item": '{"pk": {"S": "a"}, "n": {"N": "1"}}'}
    for action, data in (("create-table", table), ("item", item)):
        response = client.post(reverse("sims:dynamodb-action", args=[action]), data)
        assert response.status_code == 302
    assert len(_sims_state(sweep.user)) == 3, "the data check must see the stored simulators"


def _bodies(name: str, url: str, world: World) -> dict[str, Any] | None:
    if name in SIM_BODIES:
        return SIM_BODIES[name](url.rstrip("/").rsplit("/", 1)[-1], world)
    return BODIES[name](world)


# What PostgreSQL treats differently from SQLite: NUL characters, column lengths, integer and
# float ranges, ids. The other values are parsed before the database sees them; the SQLite run
# sweeps them all, so the PostgreSQL run (which CI also makes) sweeps only these.
DATABASE_SENSITIVE = ("nul", "long", "huge-int", "negative", "unknown-id", "unicode", "inf", "nan")


def _mutations(base: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(field, kind, value): every field of the sample body with every hostile value (on
    PostgreSQL, every value that the database itself could refuse)."""
    fields = [key for key in base if key != "file"] or ["field", "id", "name"]
    kinds = VALUES if connection.vendor == "sqlite" else DATABASE_SENSITIVE
    for field in fields:
        for kind in kinds:
            yield field, kind, VALUES[kind]


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
    urls = world.urls(route, name)
    post_view = is_post_view(name)
    for number, url in enumerate(urls):
        htmx = bool(number % 2)
        last = url.rstrip("/").rsplit("/", 1)[-1]
        valid_url = number == 0 or last in SIM_ACTIONS.get(name, ())
        sweep.send("GET", url, case="plain", htmx=htmx)
        if not post_view:
            if number == 0:
                for query in QUERIES:
                    htmx = not htmx
                    sweep.send("GET", f"{url}?{query}", case="query", htmx=htmx)
            sweep.send("POST", url, case="post to a GET view", data={"q": "x"}, htmx=htmx)
            continue
        optional = name in BODY_OPTIONAL or name in AUTH_VIEWS or (name, last) in SIM_BODY_OPTIONAL
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
            continue  # a simulator's other actions: the whole-body cases once is enough
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
    assert {"live:join", "live:answer", "live:host", "live:kick", "live:lock"} <= names


def test_every_post_view_has_a_body(client, learner):
    """A POST-only view answers GET with 405; each needs an entry in BODIES to be swept well."""
    client.raise_request_exception = False
    client.force_login(learner)
    world = World(learner, learner)
    missing = []
    for name, route in ENDPOINTS:
        url = world.urls(route, name)[0]
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
    for name, route in ENDPOINTS:
        for url in world.urls(route, name)[:2]:
            for htmx in (False, True):
                sweep.send("GET", url, case=who, htmx=htmx)
                sweep.send("POST", url, case=who, htmx=htmx)
    assert not sweep.failures, "\n".join(sweep.failures)


def _iter_tampered(world: World) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """(case, url, body, text the answer must show): tampered forms the views must refuse."""
    answer = reverse("quizzes:exam_answer", args=[world.attempt.pk, 1])
    yield "unknown option place", answer, {"choice": "99999999"}, "could not be read"
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
    oversized = "m" * (sqs_simulation.MAX_BODY_BYTES + 1)
    yield "oversized message", send, {"queue": world.sqs_queue, "body": oversized}, "at most 1 MiB"
    evaluate = reverse("sims:iam-action", args=["evaluate"])
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
    validate = reverse("sims:iam-action", args=["validate"])
    yield (
        "unknown editor",
        validate,
        {"field": "identity_999", "identity_999": "{}"},
        "Unknown field",
    )
    put = reverse("sims:kinesis-action", args=["put"])
    yield (
        "hash key out of range",
        put,
        {"partition_key": "k", "data": "d", "explicit_hash_key": str(2**128)},
        "hash key",
    )
    iterator = reverse("sims:kinesis-action", args=["iterator"])
    yield "unknown shard", iterator, {"shard": "shardId-999", "type": "LATEST"}, "There is no shard"
    producer = reverse("sims:kinesis-action", args=["producer"])
    body = {**_kinesis_body("producer", world), "hot_share": "NaN"}
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
    yield from _iter_tampered_classroom(world)


def _iter_tampered_classroom(world: World) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    add = reverse("classroom:set_add", args=[world.set.pk])
    theirs = str(world.their_question.pk)
    yield "another's question in a set", add, {"question": theirs}, "not one of the available"
    yield "question id beyond any key", add, {"question": "9" * 30}, "is not a valid value"
    yield "no question ticked", add, {}, "Tick at least one question."
    generate = reverse("classroom:set_generate", args=[world.set.pk])
    yield "too many generated", generate, {"kind": "sqs", "count": "999"}, "(1 to 20)"
    new = reverse("classroom:question_new")
    share = {**_question_form(world), "share": str(world.other_cohort.pk)}
    yield "shared with another's cohort", new, share, "not one of the available"
    no_right = {**_question_form(world), "correct_0": ""}
    yield "no right option", new, no_right, "Mark at least one option as correct."
    broken = SimpleUploadedFile("q.json", b'{"questions": [', "application/json")
    yield (
        "import not JSON",
        reverse("classroom:question_import"),
        {"file": broken},
        "not valid JSON",
    )
    assign = reverse("classroom:assignment_create", args=[world.cohort.pk])
    backwards = {**BODIES["classroom:assignment_create"](world), "closes_at": "2026-05-01T09:00"}
    yield "closes before it opens", assign, backwards, "must close after it opens"
    submit = reverse("classroom:assignment_submit", args=[world.homework.pk])
    yield "answer place out of range", submit, {"q1": "99"}, "could not be read"
    own_invitation = reverse("classroom:join", args=[world.cohort.invite_token])
    yield "joining one's own cohort", own_invitation, {}, "You teach this cohort."


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
    assert len(cases) >= 30


@pytest.mark.django_db
def test_a_request_django_cannot_read_gets_the_site_page_with_a_reason(client, learner):
    """More form fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django answers 400 itself, with
    the project's page saying what went wrong, not a bare "Bad Request (400)"."""
    client.force_login(learner)
    fields = {f"field{i}": "x" for i in range(1_100)}
    response = client.post(reverse("quizzes:practice_answer"), fields)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Bad request</h1>" in body and "nothing was saved" in body
