"""What the author wrote is what the learner reads: rendered HTML checked against its source.

The source is read by an independent CommonMark parser (markdown-it-py), which says what is
text, what is a link and what is code; the rendered HTML must then hold every word and
number of the text, in order, every link target, and every code block with its whitespace.
Extra text in the page (a correction box, an image placeholder) is allowed; lost, reordered
or re-interpreted text is not: a "2026." that became a list number, or code that became prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

from markdown_it import MarkdownIt

WORD = re.compile(r"[^\W_]+")
_reference = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass
class Reading:
    """What a reader gets from a document: its words in order, link targets, code blocks."""

    words: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)


def read_source(markdown_text: str) -> Reading:
    reading = Reading()
    for token in _reference.parse(markdown_text):
        if token.type in {"fence", "code_block"}:
            reading.code.append(token.content)
            reading.words += WORD.findall(token.content)
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                reading.words += WORD.findall(child.content)
            elif child.type == "link_open":
                reading.links.append(str(child.attrGet("href") or ""))
    return reading


class _HtmlReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.reading = Reading()
        self._pre_depth = 0
        self._pre_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.reading.links.append(values["href"] or "")
        elif tag == "img":
            self.reading.words += WORD.findall(values.get("alt") or "")
        elif tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
            if not self._pre_depth:
                self.reading.code.append("".join(self._pre_text))
                self._pre_text = []

    def handle_data(self, data: str) -> None:
        self.reading.words += WORD.findall(data)
        if self._pre_depth:
            self._pre_text.append(data)


def read_html(html: str) -> Reading:
    reader = _HtmlReader()
    reader.feed(html)
    reader.close()
    return reader.reading


def _layout(code: str) -> str:
    """A code block's lines with their indentation; trailing spaces are invisible."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines())


def _same_url(url: str) -> str:
    return unquote(url).rstrip("/")


def fidelity_problems(source: str, html: str) -> list[str]:
    """Everything the source says that the rendered HTML lost, misplaced or mangled."""
    wanted, got = read_source(source), read_html(html)
    problems = []
    position = 0
    for index, word in enumerate(wanted.words):
        try:
            position = got.words.index(word, position) + 1
        except ValueError:
            before = " ".join(wanted.words[max(0, index - 4) : index])
            problems.append(f"text lost or out of order: {word!r} (after {before!r})")
            break
    targets = {_same_url(url) for url in got.links}
    problems += [
        f"link target lost: {url}" for url in wanted.links if _same_url(url) not in targets
    ]
    blocks = [_layout(block) for block in got.code]
    problems += [
        f"code block lost its layout: {code.strip().splitlines()[0][:60]!r}"
        for code in wanted.code
        if code.strip() and _layout(code) not in blocks
    ]
    return problems
