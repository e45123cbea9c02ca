"""Generated questions as Question rows, so practice, review and live quizzes use them unchanged.

A generated question is stored the first time someone meets it, under the key
``gen-<kind>-<seed>``, marked with its generator (``Question.generator``); its task and topic
come from the generator. Answers, FSRS review (QuestionState) and the presentation layer's
answer integrity then work as for authored questions. The marker keeps generated questions
out of the authored bank (``Question.objects.active()``): mock exams, the content-quality
bar and content loading never see them.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from studyapp.notes.models import TaskStatement, Topic
from studyapp.notes.usermarkdown import render_user_markdown

from .. import services
from ..models import Choice, Question
from . import KINDS, MAX_SEED, Generated, generate, question_key

ORDER = 1_000_000  # generated questions sort after every authored one


def is_generated(question: Question) -> bool:
    return bool(question.generator)


def render_block(text: str) -> str:
    """Markdown to safe HTML; tables scroll sideways on a phone, as the app's tables do."""
    html = render_user_markdown(text)
    return html.replace("<table>", '<div class="table-scroll"><table class="data">').replace(
        "</table>", "</table></div>"
    )


def render_inline(text: str) -> str:
    html = render_user_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def materialise(kind: str, seed: int) -> Question:
    """The Question row of generated question (kind, seed), created on first use."""
    key = question_key(kind, seed)
    found = Question.objects.filter(key=key).first()
    if found is not None:
        return found
    generated = generate(kind, seed)
    try:
        with transaction.atomic():  # two learners may draw the same seed at once
            return _create(generated)
    except IntegrityError:
        return Question.objects.get(key=key)


def _create(generated: Generated) -> Question:
    task = TaskStatement.objects.get(code=generated.task)
    topic = Topic.objects.get(slug=generated.topic)
    digest = hashlib.sha256(
        "\x00".join([generated.stem, generated.answer, generated.explanation]).encode()
    ).hexdigest()
    question = Question.objects.create(
        key=generated.key,
        topic=topic,
        task=task,
        domain=task.domain_id,
        difficulty=generated.difficulty,
        kind=Question.Kind.SINGLE,
        stem_text=generated.stem,
        stem_html=render_block(generated.stem),
        explanation_text=generated.explanation,
        explanation_html=render_block(generated.explanation),
        sources=list(generated.sources),
        order=ORDER,
        content_hash=digest,
        retired=False,
        generator=generated.kind,
    )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=position,
            text=option.text,
            text_html=render_inline(option.text),
            correct=option.correct,
            why_html=render_inline(option.why) if option.why else "",
        )
        for position, option in enumerate(generated.options)
    )
    return question


def new_seed(rng: random.Random | None = None) -> int:
    return rng.randrange(MAX_SEED) if rng is not None else secrets.randbelow(MAX_SEED)


def practice_next(
    user, pool: QuerySet[Question], kind: str, now: datetime, *, rng: random.Random | None = None
) -> tuple[Question | None, str]:
    """A practice question of generator `kind` from `pool` (generated questions, possibly
    narrowed by other filters): a missed one that is due first, then one already stored that
    the learner never met, else a fresh one. The supply never runs out."""
    question, reason = services.practice_next(user, pool, now)
    if reason in ("due", "new"):
        return question, reason
    fresh = materialise(kind, new_seed(rng))
    if not pool.filter(pk=fresh.pk).exists():
        return (question, reason) if question is not None else (None, "empty")
    return fresh, "new"


def live_questions(*, kind: str, count: int, seeds=None) -> list[Question]:
    """Generated questions an instructor can put in a live quiz, as Question rows, in order:
    ``live.services.session_create(host=..., title=..., questions=live_questions(...))``.
    Pass `seeds` to get the same questions again; otherwise fresh ones are drawn."""
    if kind not in KINDS:
        raise ValueError(f"no generator named {kind!r}; choose one of {', '.join(KINDS)}")
    if not 1 <= count <= 100:
        raise ValueError("a live quiz takes 1 to 100 generated questions")
    chosen = list(seeds) if seeds is not None else [new_seed() for _ in range(count)]
    return [materialise(kind, seed) for seed in chosen[:count]]
