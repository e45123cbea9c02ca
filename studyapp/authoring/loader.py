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

from studyapp.notes import pagecache
from studyapp.notes.markdown import render_markdown
from studyapp.notes.models import Topic

from . import display as display_file
from .blocks import ContentError
from .cards import CardDraft, check_references, parse_card_file
from .errata import ErratumDraft, check_placed, highlights, parse_errata
from .guide import DomainDraft, GuidePageDraft, TaskDraft, read_exam_guide, read_guide_pages
from .notes import Section, read_notes, split_sections
from .preset_links import PresetLink, read_preset_links, store_preset_links
from .questions import QuestionDraft, check_question_references, parse_question_file
from .rendering_check import check_rendering
from .search_index import store_search_index
from .store import (
    Report,
    digest,
    store_cards,
    store_errata,
    store_exam_guide,
    store_questions,
    store_topics,
)


@dataclass
class TopicDraft:
    slug: str
    title: str
    level: int
    order: int
    parent_slug: str | None
    line: int
    body: str
    source_file: str
    body_html: str
    body_text: str
    toc: list[dict]
    word_count: int
    content_hash: str
    source_path: Path | None = None
    kind: str = Topic.Kind.NOTES
    summary: str = ""
    tasks: list[str] = field(default_factory=list)
    covers: str | None = None


@dataclass
class Bundle:
    domains: list[DomainDraft] = field(default_factory=list)
    topics: list[TopicDraft] = field(default_factory=list)
    errata: list[ErratumDraft] = field(default_factory=list)
    cards: list[CardDraft] = field(default_factory=list)
    questions: list[QuestionDraft] = field(default_factory=list)
    display: display_file.Display = field(default_factory=display_file.Display)
    placements: dict[str, display_file.Placement] = field(default_factory=dict)
    preset_links: list[PresetLink] = field(default_factory=list)
    rendering_checked: int = 0

    @property
    def tasks(self) -> list[TaskDraft]:
        return [task for domain in self.domains for task in domain.tasks]


def collect(content_dir: Path) -> Bundle:
    """Parse and validate all content; raise ContentError (file:line) on the first problem."""
    notes_dir = content_dir / "notes"
    bundle = Bundle()
    bundle.domains = read_exam_guide(content_dir / "guide")
    task_codes = {task.code for task in bundle.tasks}
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
    notes_slugs = {section.slug for _path, section in sections}
    errata_by_topic: dict[str, list[ErratumDraft]] = {}
    for erratum in bundle.errata:
        if erratum.topic_slug not in notes_slugs:
            raise ContentError(
                erratum.path, erratum.line, f"unknown topic slug {erratum.topic_slug!r}"
            )
        errata_by_topic.setdefault(erratum.topic_slug, []).append(erratum)
    notes_tasks = _notes_tasks(bundle.tasks, notes_slugs)
    bundle.display = display_file.read_display(content_dir)
    display_file.check_display(bundle.display, [section for _path, section in sections])
    bundle.placements = display_file.tree(bundle.display, [section for _path, section in sections])
    for path, section in sections:
        draft = _draft_notes_topic(
            path,
            notes_dir,
            section,
            errata_by_topic.get(section.slug, []),
            bundle.display.figures(section.slug),
        )
        draft.tasks = notes_tasks.get(section.slug, [])
        bundle.topics.append(draft)
    pages = read_guide_pages(content_dir / "guide")
    task_order = {task.code: task.order for task in bundle.tasks}
    for page in pages:
        _check_page(page, notes_slugs, task_codes)
    pages.sort(key=lambda page: (task_order[page.tasks[0]], page.order, page.slug))
    for index, page in enumerate(pages):
        bundle.topics.append(_draft_guide_page(page, GUIDE_ORDER_START + index))
    by_slug = {topic.slug: topic for topic in bundle.topics}
    bundle.cards = _collect(content_dir / "cards", parse_card_file, "card")
    check_references(
        bundle.cards, set(by_slug), {erratum.key for erratum in bundle.errata}, task_codes
    )
    # New cards are introduced in the order of the notes, whatever file they are written in.
    bundle.cards.sort(key=lambda card: (by_slug[card.topic_slug].order, card.order))
    for order, card in enumerate(bundle.cards):
        card.order = order
    bundle.questions = _collect(content_dir / "questions", parse_question_file, "question")
    check_question_references(bundle.questions, set(by_slug), task_codes)
    bundle.preset_links = read_preset_links(content_dir, set(by_slug))
    bundle.rendering_checked = check_rendering(bundle)
    return bundle


# Guide pages come after the notes in the topics' global order (the notes keep 0, 1, 2, ...).
GUIDE_ORDER_START = 100_000


def _notes_tasks(tasks: list[TaskDraft], notes_slugs: set[str]) -> dict[str, list[str]]:
    linked: dict[str, list[str]] = {}
    for task in tasks:
        for slug in task.notes:
            if slug not in notes_slugs:
                raise ContentError(
                    task.path, task.line, f"task {task.code} names unknown notes topic {slug!r}"
                )
            linked.setdefault(slug, []).append(task.code)
    return linked


def _check_page(page: GuidePageDraft, notes_slugs: set[str], task_codes: set[str]) -> None:
    if page.slug in notes_slugs:
        raise ContentError(page.path, 1, f"the slug {page.slug!r} is already a notes topic's")
    for code in page.tasks:
        if code not in task_codes:
            raise ContentError(page.path, 1, f"unknown task {code!r}")
    if page.covers and page.covers not in notes_slugs:
        raise ContentError(page.path, 1, f"`covers:` names unknown notes topic {page.covers!r}")


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


def _draft_notes_topic(
    path: Path, notes_dir: Path, section: Section, errata: list[ErratumDraft], figures=None
) -> TopicDraft:
    figures = figures or {}
    diagrams = {name: figure.diagram for name, figure in figures.items() if figure.diagram}

    def image_exists(relative: str) -> bool:
        if relative in diagrams:  # a missing figure of the notes, drawn again for the app
            return True
        candidate = (notes_dir / relative).resolve()
        return candidate.is_file() and notes_dir.resolve() in candidate.parents

    def image_url(relative: str) -> str:
        if relative in diagrams:
            return display_file.diagram_url(diagrams[relative])
        return reverse("notes:image", args=[relative])

    rendered = render_markdown(
        section.body,
        image_exists=image_exists,
        image_url=image_url,
        highlights=highlights(errata),
    )
    check_placed(rendered, errata)
    rendered.html = display_file.apply_figures(rendered.html, figures)
    return _topic_draft(
        slug=section.slug,
        title=section.title,
        level=section.level,
        order=section.order,
        parent_slug=section.parent_slug,
        line=section.line,
        body=section.body,
        source_file=path.name,
        source_path=path,
        rendered=rendered,
    )


def _draft_guide_page(page: GuidePageDraft, order: int) -> TopicDraft:
    rendered = render_markdown(page.body)
    return _topic_draft(
        slug=page.slug,
        title=page.title,
        level=1,
        order=order,
        parent_slug=None,
        line=page.body_line,
        body=page.body,
        source_file=f"guide/pages/{page.path.name}",
        source_path=page.path,
        rendered=rendered,
        kind=Topic.Kind.GUIDE,
        summary=page.summary,
        tasks=page.tasks,
        covers=page.covers,
    )


def _topic_draft(*, rendered, **values) -> TopicDraft:
    body_html = rendered.html
    body_text = " ".join(html.unescape(strip_tags(body_html)).split())
    values.setdefault("kind", Topic.Kind.NOTES)
    values.setdefault("summary", "")
    values.setdefault("covers", None)
    content_hash = digest(
        values["title"],
        values["level"],
        values["order"],
        values["parent_slug"],
        values["line"],
        values["source_file"],
        values["kind"],
        values["summary"],
        values["covers"],
        body_html,
        rendered.toc,
    )
    return TopicDraft(
        body_html=body_html,
        body_text=body_text,
        toc=rendered.toc,
        word_count=len(values["body"].split()),
        content_hash=content_hash,
        **values,
    )


@transaction.atomic
def apply(bundle: Bundle) -> Report:
    report = Report()
    tasks = store_exam_guide(bundle.domains, report)
    topics = store_topics(bundle.topics, tasks, report)
    store_errata(bundle.errata, topics, report)
    store_cards(bundle.cards, topics, tasks, report)
    store_questions(bundle.questions, topics, tasks, report)
    if displayed := display_file.store_display(bundle.placements, topics):
        report.counts["topics placed in navigation"] += displayed
    if linked := store_preset_links(bundle.preset_links, topics):
        report.counts["simulator preset links written"] += linked
    index = store_search_index()
    if indexed := index.created + index.updated + index.deleted:
        report.counts["search entries written"] += indexed
    # Cached topic pages are of the old content: forget its version now and once committed
    # (a page rendered meanwhile from the old rows would otherwise be cached as current).
    pagecache.content_changed()
    transaction.on_commit(pagecache.content_changed)
    return report


def load_content(content_dir: Path) -> Report:
    return apply(collect(content_dir))
