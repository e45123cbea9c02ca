"""Split a notes file into sections, one per heading from `#` to `####`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

HEADING = re.compile(r"^(?P<hashes>#{1,4})[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^\s*(```|~~~)")
SEPARATOR = re.compile(r"^\s{0,3}(-{3,}|\*{3,}|_{3,})\s*$")


@dataclass
class Section:
    slug: str
    title: str
    level: int
    order: int
    line: int
    parent_slug: str | None
    body_lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.body_lines).strip("\n") + "\n"


def split_sections(
    text: str, *, seen: dict[str, int] | None = None, start_order: int = 0
) -> tuple[list[Section], list[str]]:
    """Return the sections in document order and any text found before the first heading.

    `seen` counts slugs already taken (by earlier files), so that slugs stay unique.
    """
    sections: list[Section] = []
    preamble: list[str] = []
    seen = {} if seen is None else seen
    open_levels: list[Section] = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading:
            title = heading["title"].strip()
            level = len(heading["hashes"])
            base = slugify(title) or "section"
            seen[base] = seen.get(base, 0) + 1
            slug = base if seen[base] == 1 else f"{base}-{seen[base]}"
            while open_levels and open_levels[-1].level >= level:
                open_levels.pop()
            parent = open_levels[-1].slug if open_levels else None
            section = Section(slug, title, level, start_order + len(sections), number, parent)
            sections.append(section)
            open_levels.append(section)
            continue
        target = sections[-1].body_lines if sections else preamble
        target.append(line)
    for section in sections:
        section.body_lines = _drop_separators(section.body_lines)
    return sections, preamble


def _drop_separators(lines: list[str]) -> list[str]:
    """A `---` line between sections is a separator, not content (and never a setext underline)."""
    out: list[str] = []
    in_fence = False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and SEPARATOR.match(line) and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return out


def read_notes(directory: Path) -> list[tuple[Path, str]]:
    return [(path, path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.md"))]
