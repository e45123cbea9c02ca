"""Parse `content/errata.md` and place each erratum beside the sentence it corrects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from studyapp.notes.markdown import Highlight, Rendered, render_markdown

from .blocks import ContentError, parse_blocks

STATUSES = {"wrong", "outdated", "imprecise"}
STATUS_LABELS = {"wrong": "Wrong", "outdated": "Outdated", "imprecise": "Imprecise"}
URL = re.compile(r"^https://\S+$")


@dataclass
class ErratumDraft:
    key: str
    topic_slug: str
    quote: str
    status: str
    sources: list[str]
    body_markdown: str
    body_html: str
    order: int
    path: Path
    line: int
    quote_line: int


def parse_errata(path: Path, text: str) -> list[ErratumDraft]:
    drafts = []
    blocks = parse_blocks(path, text, level=2, fields={"topic", "quote", "status", "source"})
    for order, block in enumerate(blocks):
        status = block.one("status")
        if status not in STATUSES:
            raise block.error(
                f"status must be one of {sorted(STATUSES)}, got {status!r}",
                block.field_line("status"),
            )
        sources = block.many("source")
        for source in sources:
            if not URL.match(source):
                raise block.error(f"source must be an https URL, got {source!r}")
        body = block.body_text
        if not body.strip():
            raise block.error("the corrected fact (the body after a blank line) is missing")
        drafts.append(
            ErratumDraft(
                key=block.key,
                topic_slug=block.one("topic"),
                quote=block.one("quote"),
                status=status,
                sources=sources,
                body_markdown=body,
                body_html=render_markdown(body).html,
                order=order,
                path=path,
                line=block.line,
                quote_line=block.field_line("quote"),
            )
        )
    return drafts


def highlights(errata: list[ErratumDraft]) -> list[Highlight]:
    """What the renderer marks in a topic: each quote, with its correction after the block."""
    return [
        Highlight(
            key=erratum.key,
            quote=erratum.quote,
            label=STATUS_LABELS[erratum.status],
            note_html=erratum_aside(erratum),
        )
        for erratum in errata
    ]


def check_placed(rendered: Rendered, errata: list[ErratumDraft]) -> None:
    """A quote that is not in the topic's text is an error at the erratum's `quote:` line."""
    by_key = {erratum.key: erratum for erratum in errata}
    for highlight in rendered.unplaced:
        erratum = by_key[highlight.key]
        raise ContentError(
            erratum.path,
            erratum.quote_line,
            f"quote not found in topic {erratum.topic_slug!r}: {erratum.quote!r}",
        )


def erratum_aside(erratum: ErratumDraft) -> str:
    sources = mark_safe(
        "".join(
            format_html('<li><a href="{}" rel="noopener noreferrer">{}</a></li>', url, url)
            for url in erratum.sources
        )
    )
    return format_html(
        '<aside class="erratum erratum-{}" id="erratum-{}" role="note">'
        '<p class="erratum-label"><strong>{}</strong> · {}</p>{}'
        '<ul class="erratum-sources">{}</ul></aside>',
        erratum.status,
        erratum.key,
        "Correction",
        STATUS_LABELS[erratum.status],
        mark_safe(erratum.body_html),
        sources,
    )
