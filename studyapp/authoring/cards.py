"""Parse flashcard files (content/cards/*.md): one note per `###` heading, one or more cards each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.notes.markdown import render_markdown

from .blocks import Block, ContentError, parse_blocks

KINDS = {"basic", "reversed", "cloze"}
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.+?))?\}\}")
URL = re.compile(r"^https://\S+$")


@dataclass
class CardDraft:
    key: str
    note_key: str
    kind: str
    topic_slug: str
    task_code: str
    tags: str
    front_text: str
    back_text: str
    front_html: str
    back_html: str
    sources: list[str]
    erratum_key: str | None
    order: int
    path: Path
    line: int
    extra: dict = field(default_factory=dict)


def _split_faces(block: Block) -> tuple[str, str]:
    lines = block.body
    separators = [index for index, (text, _line) in enumerate(lines) if text.strip() == "---"]
    if len(separators) != 1:
        raise block.error(
            "a basic or reversed card needs exactly one `---` line between front and back"
        )
    cut = separators[0]
    front = "\n".join(text for text, _line in lines[:cut]).strip()
    back = "\n".join(text for text, _line in lines[cut + 1 :]).strip()
    if not front or not back:
        raise block.error("both the front and the back must have text")
    return front, back


def _sources(block: Block) -> list[str]:
    urls = [url for value in block.many("source") for url in value.split()]
    for url in urls:
        if not URL.match(url):
            raise block.error(
                f"source must be an https URL, got {url!r}", block.field_line("source")
            )
    return urls


def parse_card_file(path: Path, text: str, *, start_order: int = 0) -> list[CardDraft]:
    drafts: list[CardDraft] = []
    blocks = parse_blocks(
        path,
        text,
        level=3,
        fields={"kind", "topic", "task", "tags", "source", "erratum"},
        defaults={"task", "topic"},
    )
    for block in blocks:
        kind = block.one("kind")
        if kind not in KINDS:
            raise block.error(
                f"kind must be one of {sorted(KINDS)}, got {kind!r}", block.field_line("kind")
            )
        common = {
            "note_key": block.key,
            "kind": kind,
            "topic_slug": block.one("topic"),
            "task_code": block.one("task"),
            "tags": " ".join(block.one("tags", required=False).split()),
            "sources": _sources(block),
            "erratum_key": block.one("erratum", required=False) or None,
            "path": path,
            "line": block.line,
        }
        if kind == "cloze":
            faces = _cloze_faces(block)
        else:
            front, back = _split_faces(block)
            faces = [(block.key, front, back)]
            if kind == "reversed":
                faces.append((f"{block.key}-reverse", back, front))
        for key, front, back in faces:
            drafts.append(
                CardDraft(
                    key=key,
                    front_text=front,
                    back_text=back,
                    front_html=render_markdown(front).html,
                    back_html=render_markdown(back).html,
                    order=start_order + len(drafts),
                    **common,
                )
            )
    return drafts


def _cloze_faces(block: Block) -> list[tuple[str, str, str]]:
    lines = [text for text, _line in block.body]
    separators = [index for index, text in enumerate(lines) if text.strip() == "---"]
    if len(separators) > 1:
        raise block.error("a cloze card has at most one `---` line (before the extra text)")
    cut = separators[0] if separators else len(lines)
    text = "\n".join(lines[:cut]).strip()
    extra = "\n".join(lines[cut + 1 :]).strip()
    numbers = sorted({int(match[1]) for match in CLOZE.finditer(text)})
    if not numbers:
        raise block.error("a cloze card needs at least one deletion like {{c1::answer}}")
    faces = []
    for number in numbers:
        front = CLOZE.sub(lambda m, n=number: _hide(m, n), text)
        back = CLOZE.sub(lambda m, n=number: _show(m, n), text)
        if extra:
            back = f"{back}\n\n{extra}"
        faces.append((f"{block.key}-c{number}", front, back))
    return faces


def _hide(match: re.Match, number: int) -> str:
    if int(match[1]) != number:
        return match[2]
    return f"**[{match[3]}]**" if match[3] else "**[…]**"


def _show(match: re.Match, number: int) -> str:
    return f"**{match[2]}**" if int(match[1]) == number else match[2]


def check_references(
    drafts: list[CardDraft], topics: set[str], errata: set[str], tasks: set[str]
) -> None:
    for draft in drafts:
        if draft.topic_slug not in topics:
            raise ContentError(draft.path, draft.line, f"unknown topic slug {draft.topic_slug!r}")
        if draft.task_code not in tasks:
            raise ContentError(draft.path, draft.line, f"unknown task {draft.task_code!r}")
        if draft.erratum_key and draft.erratum_key not in errata:
            raise ContentError(draft.path, draft.line, f"unknown erratum {draft.erratum_key!r}")
