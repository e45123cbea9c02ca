"""Write parsed content to the database: upsert by stable key, retire what learners have used."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from studyapp.cards.models import Card, ReviewLog
from studyapp.notes.markdown import render_markdown
from studyapp.notes.models import Erratum, ExamDomain, TaskStatement, Topic
from studyapp.quizzes.models import Choice, ExamItem, PracticeAnswer, Question

from .cards import CardDraft
from .errata import ErratumDraft
from .guide import DomainDraft
from .questions import QuestionDraft, render_question


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind} {outcome}"] += 1

    def lines(self) -> list[str]:
        return [f"{key}: {value}" for key, value in sorted(self.counts.items())]


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def store_exam_guide(drafts: list[DomainDraft], report: Report) -> dict[str, TaskStatement]:
    """Upsert the domains and task statements; the exam guide's edits update them in place."""
    for draft in drafts:
        ExamDomain.objects.update_or_create(
            number=draft.number,
            defaults={"title": draft.title, "weight": draft.weight, "sources": draft.sources},
        )
    existing = {task.code: task for task in TaskStatement.objects.all()}
    for domain in drafts:
        for draft in domain.tasks:
            values = {
                "domain_id": domain.number,
                "title": draft.title,
                "weight": draft.weight,
                "body_html": render_markdown(draft.body).html,
                "order": draft.order,
            }
            task = existing.get(draft.code)
            if task is None:
                existing[draft.code] = TaskStatement.objects.create(code=draft.code, **values)
                report.add("tasks", "created")
            elif any(getattr(task, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(task, name, value)
                task.save()
                report.add("tasks", "updated")
            else:
                report.add("tasks", "unchanged")
    # A task the guide no longer lists goes once no card, question or topic names it.
    codes = [task.code for domain in drafts for task in domain.tasks]
    TaskStatement.objects.exclude(code__in=codes).filter(
        cards__isnull=True, questions__isnull=True, topics__isnull=True
    ).delete()
    ExamDomain.objects.exclude(number__in=[draft.number for draft in drafts]).filter(
        tasks__isnull=True
    ).delete()
    return {code: existing[code] for code in codes}


def store_topics(drafts: list, tasks: dict[str, TaskStatement], report: Report) -> dict[str, Topic]:
    """Upsert notes topics and guide pages by slug; a topic that disappears is retired."""
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    wanted = {draft.slug for draft in drafts}
    for draft in drafts:
        topic = existing.get(draft.slug)
        if topic is not None and topic.content_hash == draft.content_hash and not topic.retired:
            report.add("topics", "unchanged")
            continue
        values = {
            "kind": draft.kind,
            "title": draft.title,
            "summary": draft.summary,
            "level": draft.level,
            "order": draft.order,
            "source_file": draft.source_file,
            "source_line": draft.line,
            "body_markdown": draft.body,
            "body_html": draft.body_html,
            "body_text": draft.body_text,
            "toc": draft.toc,
            "word_count": draft.word_count,
            "content_hash": draft.content_hash,
            "retired": False,
        }
        if topic is None:
            existing[draft.slug] = Topic.objects.create(slug=draft.slug, **values)
            report.add("topics", "created")
        else:
            for name, value in values.items():
                setattr(topic, name, value)
            topic.save()
            report.add("topics", "updated")
    links = dict.fromkeys(existing)
    for slug, task_id in Topic.tasks.through.objects.values_list("topic__slug", "taskstatement_id"):
        links[slug] = (links[slug] or set()) | {task_id}
    for draft in drafts:  # links last: a parent may be created after its child
        topic = existing[draft.slug]
        parent = existing.get(draft.parent_slug) if draft.parent_slug else None
        covers = existing.get(draft.covers) if draft.covers else None
        if topic.parent_id != (parent.pk if parent else None) or topic.covers_id != (
            covers.pk if covers else None
        ):
            topic.parent, topic.covers = parent, covers
            topic.save(update_fields=["parent", "covers"])
        task_ids = {tasks[code].pk for code in draft.tasks}
        if (links[draft.slug] or set()) != task_ids:
            topic.tasks.set(task_ids)
        home = tasks[draft.tasks[0]].pk if draft.tasks else None
        if topic.home_task_id != home:
            topic.home_task_id = home
            topic.save(update_fields=["home_task"])
    for slug, topic in existing.items():
        if slug not in wanted and not topic.retired:
            topic.retired = True
            topic.save(update_fields=["retired"])
            report.add("topics", "retired")
    return existing


def store_cards(
    drafts: list[CardDraft],
    topics: dict[str, Topic],
    tasks: dict[str, TaskStatement],
    report: Report,
) -> None:
    """Upsert authored cards by key; a removed card with review history is retired, not deleted."""
    errata = dict(Erratum.objects.values_list("key", "pk"))
    existing = {card.key: card for card in Card.objects.filter(owner__isnull=True)}
    to_create = []
    for draft in drafts:
        values = {
            "note_key": draft.note_key,
            "kind": draft.kind,
            "topic_id": topics[draft.topic_slug].pk,
            "task_id": tasks[draft.task_code].pk,
            "tags": draft.tags,
            "front_text": draft.front_text,
            "back_text": draft.back_text,
            "front_html": draft.front_html,
            "back_html": draft.back_html,
            "sources": draft.sources,
            "erratum_id": errata.get(draft.erratum_key) if draft.erratum_key else None,
            "order": draft.order,
            "retired": False,
        }
        content_hash = digest(values)
        card = existing.pop(draft.key, None)
        if card is None:
            to_create.append(Card(key=draft.key, content_hash=content_hash, **values))
            report.add("cards", "created")
        elif card.content_hash == content_hash:
            report.add("cards", "unchanged")
        else:
            for name, value in values.items():
                setattr(card, name, value)
            card.content_hash = content_hash
            card.save()
            report.add("cards", "updated")
    Card.objects.bulk_create(to_create)
    with_history = set(
        ReviewLog.objects.filter(card__in=existing.values()).values_list("card_id", flat=True)
    )
    for card in existing.values():
        if card.pk in with_history:
            if not card.retired:
                card.retired = True
                card.save(update_fields=["retired"])
                report.add("cards", "retired")
        else:
            card.delete()
            report.add("cards", "deleted")


def store_errata(drafts: list[ErratumDraft], topics: dict[str, Topic], report: Report) -> None:
    existing = {erratum.key: erratum for erratum in Erratum.objects.all()}
    for draft in drafts:
        content_hash = digest(
            draft.topic_slug, draft.quote, draft.status, draft.sources, draft.body_html, draft.order
        )
        erratum = existing.pop(draft.key, None)
        if erratum is not None and erratum.content_hash == content_hash:
            report.add("errata", "unchanged")
            continue
        values = {
            "topic": topics[draft.topic_slug],
            "quote": draft.quote,
            "status": draft.status,
            "sources": draft.sources,
            "body_html": draft.body_html,
            "order": draft.order,
            "content_hash": content_hash,
        }
        Erratum.objects.update_or_create(key=draft.key, defaults=values)
        report.add("errata", "created" if erratum is None else "updated")
    for erratum in existing.values():
        erratum.delete()
        report.add("errata", "deleted")


def store_questions(
    drafts: list[QuestionDraft],
    topics: dict[str, Topic],
    tasks: dict[str, TaskStatement],
    report: Report,
) -> None:
    """Upsert questions and their choices; a removed question that learners answered is retired."""
    # Only the authored bank: an instructor's own questions and those a simulator wrote
    # (`generator`) are not content, and a load must never retire or delete them.
    authored = Question.objects.filter(owner__isnull=True, generator="")
    existing = {question.key: question for question in authored}
    for draft in drafts:
        choices = [(c.text, c.correct, c.why) for c in draft.choices]
        task = tasks[draft.task_code]
        content_hash = digest(
            draft.topic_slug,
            draft.task_code,
            draft.difficulty,
            draft.stem,
            draft.explanation,
            draft.sources,
            draft.order,
            choices,
        )
        question = existing.pop(draft.key, None)
        if question is not None and question.content_hash == content_hash and not question.retired:
            report.add("questions", "unchanged")
            continue
        values = {
            "topic_id": topics[draft.topic_slug].pk,
            "task_id": task.pk,
            "domain": task.domain_id,
            "difficulty": draft.difficulty,
            "kind": draft.kind,
            "stem_text": draft.stem,
            "explanation_text": draft.explanation,
            "sources": draft.sources,
            "order": draft.order,
            "content_hash": content_hash,
            "retired": False,
            **render_question(draft),
        }
        question, created = Question.objects.update_or_create(key=draft.key, defaults=values)
        _store_choices(question, draft)
        report.add("questions", "created" if created else "updated")
    used = set(
        PracticeAnswer.objects.filter(question__in=existing.values()).values_list(
            "question_id", flat=True
        )
    )
    used |= set(
        ExamItem.objects.filter(question__in=existing.values()).values_list(
            "question_id", flat=True
        )
    )
    for question in existing.values():
        if question.pk in used:
            if not question.retired:
                question.retired = True
                question.save(update_fields=["retired"])
                report.add("questions", "retired")
        else:
            question.delete()
            report.add("questions", "deleted")


def _store_choices(question: Question, draft: QuestionDraft) -> None:
    """Choices keep their ids across edits (answers refer to them); extra ones are removed."""
    current = {choice.position: choice for choice in question.choices.all()}
    for position, choice in enumerate(draft.choices):
        values = {
            "text": choice.text,
            "text_html": choice.text_html,
            "correct": choice.correct,
            "why_html": choice.why_html,
        }
        row = current.pop(position, None)
        if row is None:
            Choice.objects.create(question=question, position=position, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
    Choice.objects.filter(pk__in=[row.pk for row in current.values()]).delete()
