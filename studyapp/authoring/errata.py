"""Parse `content/errata.md` and place each erratum beside the sentence it corrects."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from studyapp.notes.markdown import render_markdown

from .blocks import ContentError, parse_blocks

STATUSES = {"wrong", "outdated", "imprecise"}
STATUS_LABELS = {"wrong": "Wrong", "outdated": "Outdated", "imprecise": "Imprecise"}
URL = re.compile(r"^https://\S+$")
# Where the block holding a quote ends: a paragraph's end, or the start of an item's sub-list.
BLOCK_END = re.compile(r"</p>|<ul>|<ol>|</li>|<li[ >]")


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


def place_errata(topic_html: str, errata: list[ErratumDraft]) -> str:
    """Mark each quote in the topic's HTML and put the correction right after its block."""
    for erratum in errata:
        topic_html = _place_one(topic_html, erratum)
    return topic_html


def _place_one(topic_html: str, erratum: ErratumDraft) -> str:
    needle = html.escape(erratum.quote, quote=False)
    start = topic_html.find(needle)
    if start < 0:
        raise ContentError(
            erratum.path,
            erratum.quote_line,
            f"quote not found in topic {erratum.topic_slug!r}: {erratum.quote!r}",
        )
    end = start + len(needle)
    mark = format_html(
        '<mark class="erratum-quote" id="erratum-{}-quote">{}</mark>'
        '<a class="erratum-ref" href="#erratum-{}" aria-label="Correction: {}">*</a>',
        erratum.key,
        mark_safe(needle),
        erratum.key,
        STATUS_LABELS[erratum.status],
    )
    topic_html = topic_html[:start] + mark + topic_html[end:]
    after = start + len(mark)
    block_end = BLOCK_END.search(topic_html, after)
    insert_at = len(topic_html) if block_end is None else block_end.start()
    if block_end is not None and block_end.group() == "</p>":
        insert_at = block_end.end()
    return topic_html[:insert_at] + erratum_aside(erratum) + topic_html[insert_at:]


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
