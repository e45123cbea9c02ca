"""Load everything under content/ into the database: parse, validate, then upsert by stable key.

Loading twice changes nothing: each item carries a hash of what it was built from, and rows
whose hash is unchanged are not written. Topics that disappear from the notes are retired,
not deleted, so that learners' history on them survives.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils.html import strip_tags

from studyapp.notes.markdown import render_markdown
from studyapp.notes.models import Erratum, Topic

from .blocks import ContentError
from .errata import ErratumDraft, parse_errata, place_errata
from .notes import Section, read_notes, split_sections


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


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind} {outcome}"] += 1

    def lines(self) -> list[str]:
        return [f"{key}: {value}" for key, value in sorted(self.counts.items())]


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


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
    return bundle


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
    _apply_errata(bundle.errata, existing, report)
    return report


def _apply_errata(drafts: list[ErratumDraft], topics: dict[str, Topic], report: Report) -> None:
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


def load_content(content_dir: Path) -> Report:
    return apply(collect(content_dir))
