"""Parse `content/notes-display.md`: how navigation shows the notes, which stay as written.

Each `## slug` item names a notes topic and may give it a corrected `title:`, another
`parent:` in the navigation tree, and say what replaces each missing figure of its section
(`image:` a diagram of ours, or nothing). The grammar is in content/README.md.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

from studyapp.notes.models import Topic

from .blocks import ContentError, parse_blocks

FILE_NAME = "notes-display.md"
TOP = "-"  # `parent: -` puts a topic at the top of the tree
NO_FIGURE = "none"
IMAGE = re.compile(r"^(?P<path>\S+)\s*->\s*(?P<target>[^|\s]+)\s*(?:\|\s*(?P<alt>.*))?$")
DIAGRAM_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.svg$")
NOTES_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s]+)\)")


@dataclass
class Figure:
    """What the app shows for one figure of the notes: a diagram (with its text alternative),
    or nothing (`diagram` is empty)."""

    path: str
    diagram: str
    alt: str
    line: int


@dataclass
class DisplayDraft:
    slug: str
    line: int
    title: str = ""
    parent: str | None = None  # a slug, TOP, or None (the notes' own parent)
    figures: dict[str, Figure] = field(default_factory=dict)


@dataclass
class Display:
    path: Path | None = None
    topics: dict[str, DisplayDraft] = field(default_factory=dict)

    def figures(self, slug: str) -> dict[str, Figure]:
        draft = self.topics.get(slug)
        return draft.figures if draft else {}


def diagrams_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "img" / "diagrams"


def diagram_url(name: str) -> str:
    """The diagram's address under STATIC_URL (WhiteNoise serves the name as written too)."""
    base = (
        settings.STATIC_URL
        if settings.STATIC_URL.startswith(("/", "http"))
        else "/" + settings.STATIC_URL
    )
    return f"{base.rstrip('/')}/img/diagrams/{name}"


def read_display(content_dir: Path, *, diagrams: Path | None = None) -> Display:
    """Parse the display file (an absent file changes nothing); check every diagram exists."""
    path = content_dir / FILE_NAME
    if not path.exists():
        return Display()
    diagrams = diagrams or diagrams_dir()
    display = Display(path=path)
    blocks = parse_blocks(
        path, path.read_text(encoding="utf-8"), level=2, fields={"title", "parent", "image"}
    )
    for block in blocks:
        for text, number in block.body:
            if text.strip():
                raise ContentError(
                    path, number, "expected `title:`, `parent:` or `image:` lines only"
                )
        draft = DisplayDraft(slug=block.key, line=block.line)
        draft.title = " ".join(block.one("title", required=False).split())
        if "title" in block.fields and not draft.title:
            raise block.error("`title:` is empty", block.field_line("title"))
        parent = block.one("parent", required=False)
        if parent:
            draft.parent = parent
        for value, number in block.fields.get("image", []):
            figure = _figure(path, number, value, diagrams)
            if figure.path in draft.figures:
                raise ContentError(
                    path, number, f"image {figure.path!r} given twice for this topic"
                )
            draft.figures[figure.path] = figure
        display.topics[draft.slug] = draft
    return display


def _figure(path: Path, number: int, value: str, diagrams: Path) -> Figure:
    match = IMAGE.match(value.strip())
    if not match:
        raise ContentError(
            path, number, "write `image: <path in the notes> -> <name>.svg | <text>` or `-> none`"
        )
    target, alt = match["target"], " ".join((match["alt"] or "").split())
    image = str(PurePosixPath(match["path"]))
    if target == NO_FIGURE:
        if alt:
            raise ContentError(path, number, "an image shown as `none` takes no text")
        return Figure(image, "", "", number)
    if not DIAGRAM_NAME.match(target):
        raise ContentError(
            path, number, f"a diagram is a lowercase `.svg` file name, got {target!r}"
        )
    if not (diagrams / target).is_file():
        raise ContentError(path, number, f"no diagram {target!r} in {diagrams}")
    if not alt:
        raise ContentError(path, number, "a diagram needs its text alternative after `|`")
    return Figure(image, target, alt, number)


def check_display(display: Display, sections) -> None:
    """Every item names a notes topic; parents exist and make no loop; images are the section's."""
    by_slug = {section.slug: section for section in sections}
    for draft in display.topics.values():
        section = by_slug.get(draft.slug)
        if section is None:
            raise ContentError(display.path, draft.line, f"unknown topic slug {draft.slug!r}")
        if draft.parent not in (None, TOP):
            if draft.parent not in by_slug:
                raise ContentError(
                    display.path, draft.line, f"unknown parent slug {draft.parent!r}"
                )
            if draft.parent == draft.slug:
                raise ContentError(display.path, draft.line, "a topic cannot be its own parent")
        images = {str(PurePosixPath(m["src"])) for m in NOTES_IMAGE.finditer(section.body)}
        for figure in draft.figures.values():
            if figure.path not in images:
                raise ContentError(
                    display.path,
                    figure.line,
                    f"the section {draft.slug!r} shows no image {figure.path!r}",
                )
    parents = display_parents(display, sections)
    for slug in parents:
        seen, node = {slug}, parents[slug]
        while node is not None:
            if node in seen:
                raise ContentError(
                    display.path, display.topics[slug].line, f"the parents of {slug!r} make a loop"
                )
            seen.add(node)
            node = parents[node]


def display_parents(display: Display, sections) -> dict[str, str | None]:
    parents = {}
    for section in sections:
        draft = display.topics.get(section.slug)
        if draft is None or draft.parent is None:
            parents[section.slug] = section.parent_slug
        else:
            parents[section.slug] = None if draft.parent == TOP else draft.parent
    return parents


@dataclass
class Placement:
    title: str
    parent: str | None
    level: int
    order: int


def tree(display: Display, sections) -> dict[str, Placement]:
    """Each notes topic's title, parent, depth and place in the navigation tree (pre-order;
    siblings keep the notes' order)."""
    parents = display_parents(display, sections)
    children: dict[str | None, list] = {}
    for section in sorted(sections, key=lambda section: section.order):
        children.setdefault(parents[section.slug], []).append(section)
    placements: dict[str, Placement] = {}
    stack = [(section, 1) for section in reversed(children.get(None, []))]
    while stack:
        section, level = stack.pop()
        draft = display.topics.get(section.slug)
        title = draft.title if draft and draft.title else section.title
        placements[section.slug] = Placement(title, parents[section.slug], level, len(placements))
        stack.extend((child, level + 1) for child in reversed(children.get(section.slug, [])))
    return placements


def apply_figures(rendered_html: str, figures: dict[str, Figure]) -> str:
    """Give each diagram its text alternative and drop the placeholder of a figure shown as none.

    The renderer has already drawn diagrams as <img> (their path "exists") and the others as
    placeholders; this only touches those two exact shapes.
    """
    for figure in figures.values():
        name = PurePosixPath(figure.path).name
        if figure.diagram:
            url = html.escape(diagram_url(figure.diagram), quote=True)
            rendered_html = rendered_html.replace(
                f'<img alt="" loading="lazy" src="{url}">',
                f'<img alt="{html.escape(figure.alt, quote=True)}" class="diagram" loading="lazy" src="{url}">',
            )
        else:
            placeholder = re.compile(
                r'<span [^>]*class="missing-image"[^>]*>Image not available'
                r'<span class="missing-image-name">(?:[^<]* \()?'
                + re.escape(html.escape(name))
                + r"\)?</span></span>"
            )
            rendered_html = placeholder.sub("", rendered_html)
    return re.sub(r"<p>\s*</p>", "", rendered_html)


def store_display(placements: dict[str, Placement], topics: dict) -> int:
    """Write each topic's navigation title and place; guide pages keep their own. Returns the
    number of topics changed (none when loading twice)."""
    changed = []
    for slug, topic in topics.items():
        placement = placements.get(slug)
        if placement is not None:
            parent = topics.get(placement.parent) if placement.parent else None
            values = {
                "display_title": placement.title,
                "display_parent_id": parent.pk if parent else None,
                "display_level": placement.level,
                "display_order": placement.order,
            }
        else:  # a guide page, or a retired topic: as written
            values = {
                "display_title": topic.title,
                "display_parent_id": None if topic.is_guide else topic.parent_id,
                "display_level": 1 if topic.is_guide else topic.level,
                "display_order": topic.order,
            }
        if any(getattr(topic, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(topic, name, value)
            changed.append(topic)
    Topic.objects.bulk_update(
        changed, ["display_title", "display_parent", "display_level", "display_order"]
    )
    return len(changed)
