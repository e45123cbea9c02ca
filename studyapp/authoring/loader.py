"""Load everything under content/ into the database: parse, validate, then upsert by stable key.

Loading twice changes nothing: each item carries a hash of what it was built from, and rows
whose hash is unchanged are not written. Topics that disappear from the notes are retired,
not deleted, so that learners' history on them survives.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils.html import strip_tags

from studyapp.notes.markdown import render_markdown
from studyapp.notes.models import Topic

from .blocks import ContentError
from .cards import CardDraft, check_references, parse_card_file
from .errata import ErratumDraft, parse_errata, place_errata
from .notes import Section, read_notes, split_sections
from .questions import QuestionDraft, check_question_references, parse_question_file
from .store import Report, digest, store_cards, store_errata, store_questions


@dataclass
class TopicDraft:
    section: Section
    source_file: str
    body_html: str
    body_text: str
    toc: list[dict]
    word_count: int
    content_hash: str


@dataclass
class Bundle:
    topics: list[TopicDraft] = field(default_factory=list)
    errata: list[ErratumDraft] = field(default_factory=list)
    cards: list[CardDraft] = field(default_factory=list)
    questions: list[QuestionDraft] = field(default_factory=list)


def collect(content_dir: Path) -> Bundle:
    """Parse and validate all content; raise ContentError (file:line) on the first problem."""
    notes_dir = content_dir / "notes"
    bundle = Bundle()
    errata_path = content_dir / "errata.md"
    if errata_path.exists():
        bundle.errata = parse_errata(errata_path, errata_path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    sections: list[tuple[Path, Section]] = []
    for path, text in read_notes(notes_dir):
        found, preamble = split_sections(text, seen=seen, start_order=len(sections))
        if any(line.strip() for line in preamble):
            raise ContentError(path, 1, "text before the first heading belongs to no topic")
        sections.extend((path, section) for section in found)
    by_slug = {section.slug: section for _path, section in sections}
    errata_by_topic: dict[str, list[ErratumDraft]] = {}
    for erratum in bundle.errata:
        if erratum.topic_slug not in by_slug:
            raise ContentError(
                erratum.path, erratum.line, f"unknown topic slug {erratum.topic_slug!r}"
            )
        errata_by_topic.setdefault(erratum.topic_slug, []).append(erratum)
    for path, section in sections:
        bundle.topics.append(
            _draft_topic(path, notes_dir, section, errata_by_topic.get(section.slug, []))
        )
    bundle.cards = _collect(content_dir / "cards", parse_card_file, "card")
    check_references(bundle.cards, set(by_slug), {erratum.key for erratum in bundle.errata})
    # New cards are introduced in the order of the notes, whatever file they are written in.
    bundle.cards.sort(key=lambda card: (by_slug[card.topic_slug].order, card.order))
    for order, card in enumerate(bundle.cards):
        card.order = order
    bundle.questions = _collect(content_dir / "questions", parse_question_file, "question")
    check_question_references(bundle.questions, set(by_slug))
    return bundle


def _collect(directory: Path, parse, kind: str) -> list:
    """Parse every file of a content folder; ids must be unique across its files."""
    drafts: list = []
    seen: dict[str, object] = {}
    for path in sorted(directory.glob("*.md")) if directory.is_dir() else []:
        for draft in parse(path, path.read_text(encoding="utf-8"), start_order=len(drafts)):
            if draft.key in seen:
                first = seen[draft.key]
                raise ContentError(
                    draft.path,
                    draft.line,
                    f"duplicate {kind} id {draft.key!r} (first at {first.path.name}:{first.line})",
                )
            seen[draft.key] = draft
            drafts.append(draft)
    return drafts


def _draft_topic(
    path: Path, notes_dir: Path, section: Section, errata: list[ErratumDraft]
) -> TopicDraft:
    def image_exists(relative: str) -> bool:
        candidate = (notes_dir / relative).resolve()
        return candidate.is_file() and notes_dir.resolve() in candidate.parents

    def image_url(relative: str) -> str:
        return reverse("notes:image", args=[relative])

    rendered = render_markdown(section.body, image_exists=image_exists, image_url=image_url)
    body_html = place_errata(rendered.html, errata)
    body_text = html.unescape(strip_tags(rendered.html))
    return TopicDraft(
        section=section,
        source_file=path.name,
        body_html=body_html,
        body_text=" ".join(body_text.split()),
        toc=rendered.toc,
        word_count=len(section.body.split()),
        content_hash=digest(
            section.title,
            section.level,
            section.order,
            section.parent_slug,
            section.line,
            path.name,
            body_html,
            rendered.toc,
        ),
    )


@transaction.atomic
def apply(bundle: Bundle) -> Report:
    report = Report()
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    wanted = {draft.section.slug for draft in bundle.topics}
    for draft in bundle.topics:
        section = draft.section
        topic = existing.get(section.slug)
        if topic is not None and topic.content_hash == draft.content_hash and not topic.retired:
            report.add("topics", "unchanged")
            continue
        values = {
            "title": section.title,
            "level": section.level,
            "order": section.order,
            "source_file": draft.source_file,
            "source_line": section.line,
            "body_markdown": section.body,
            "body_html": draft.body_html,
            "body_text": draft.body_text,
            "toc": draft.toc,
            "word_count": draft.word_count,
            "content_hash": draft.content_hash,
            "retired": False,
        }
        if topic is None:
            existing[section.slug] = Topic.objects.create(slug=section.slug, **values)
            report.add("topics", "created")
        else:
            for name, value in values.items():
                setattr(topic, name, value)
            topic.save()
            report.add("topics", "updated")
    for draft in bundle.topics:  # parents last: a parent may be created after its child
        topic = existing[draft.section.slug]
        parent = existing.get(draft.section.parent_slug) if draft.section.parent_slug else None
        if topic.parent_id != (parent.pk if parent else None):
            topic.parent = parent
            topic.save(update_fields=["parent"])
    for slug, topic in existing.items():
        if slug not in wanted and not topic.retired:
            topic.retired = True
            topic.save(update_fields=["retired"])
            report.add("topics", "retired")
    store_errata(bundle.errata, existing, report)
    store_cards(bundle.cards, existing, report)
    store_questions(bundle.questions, existing, report)
    return report


def load_content(content_dir: Path) -> Report:
    return apply(collect(content_dir))
