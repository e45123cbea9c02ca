"""Authored Markdown (notes, guide pages, cards, questions) to safe HTML, once at load time.

The notes are written with 2-space (sometimes 3-space) nested lists, which Python-Markdown
reads as 4-space; `ListIndentPreprocessor` rewrites the indentation of lines inside a list to
4 spaces per level first, and leaves every other line alone. Raw HTML is escaped (shown as
text), and the output is sanitised by nh3. One Markdown object per thread is reused (reset
between calls): building one costs more than rendering a card.

Learners' and instructors' own text goes through `studyapp.notes.usermarkdown` instead.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

LIST_ITEM = re.compile(r"^(?P<indent>[ ]*)(?P<marker>[-*+]|\d+[.)])(?P<gap>[ ]+)(?P<text>.*)$")
FENCE = re.compile(r"^\s*(```|~~~)")
# Indented code outside lists is rewritten as a fence of a length no code line will have.
CODE_FENCE = "~" * 12
# The marker of a line that looks like a list item but is text: "2026." -> "2026\.", "-" -> "\-".
ESCAPE_MARKER = re.compile(r"^(?P<indent>[ ]*)(?P<number>\d*)(?P<mark>[-*+.)])")
HEADING_DEPTH = {"h2": 0, "h3": 1}
# A bullet that is a sub-heading is short and reads like a title, or introduces a nested list.
SUBHEADING_MAX_CHARS = 40

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "code", "del", "details", "div", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "role", "aria-label"},
    "a": {"href"},
    "img": {"src", "alt", "loading"},
    "td": {"align"},
    "th": {"align"},
}


@dataclass(frozen=True)
class Highlight:
    """A passage to mark in the rendered text, with a note (trusted HTML) after its block."""

    key: str
    quote: str
    label: str
    note_html: str


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)
    unplaced: list[Highlight] = field(default_factory=list)


class ListIndentPreprocessor(Preprocessor):
    """Re-indent nested lists to 4 spaces per level, whatever indentation the author used.

    Python-Markdown wants 4 spaces per list level; the notes use 2 or 3. This decides, as
    CommonMark does, which lines are list items and which item every other line belongs to,
    then writes the same structure with 4 spaces per level. Lines outside lists are left
    alone. A line that only looks like an item ("2026. The service..." wrapped inside a
    paragraph: only `1.` may start a list there) is text, and its marker is escaped so that
    no later step reads it as a list. Code indented inside an item keeps its indentation.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[tuple[int, int]] = []  # (marker column, text column) of the open items
        fence: tuple[int, str] | None = None  # (its indent in the source, its new prefix)
        previous_blank = True
        code_prefix: str | None = None  # the prefix of the open fence that holds indented code
        for line in lines:
            if fence is not None:
                source_indent, prefix = fence
                spaces = len(line) - len(line.lstrip(" "))
                out.append(prefix + line[min(spaces, source_indent) :] if line.strip() else line)
                if FENCE.match(line):
                    fence = None
                continue
            if not line.strip():
                out.append(line)
                previous_blank = True
                continue
            indent = len(line) - len(line.lstrip(" "))
            if previous_blank:
                while stack and indent < stack[-1][1]:
                    stack.pop()  # after a blank line, a line shallower than an item's text ends it
            column = next((text for _marker, text in reversed(stack) if text <= indent), 0)
            code = indent - column >= 4 and (previous_blank or code_prefix is not None)
            if code_prefix is not None and not code:
                self._close_code(out, code_prefix)
                code_prefix = None
            item = None if code or indent - column > 3 else LIST_ITEM.match(line)
            if item and not previous_blank and self._interrupts_paragraph(item, indent, stack):
                item = None
            if not item and not code and LIST_ITEM.match(line):
                line = ESCAPE_MARKER.sub(r"\g<indent>\g<number>\\\g<mark>", line, count=1)
            if FENCE.match(line) and not previous_blank:
                out.append("")  # a fence may interrupt a paragraph, as in CommonMark
            if item:
                if not stack and not previous_blank:
                    out.append("")  # a list may follow a paragraph line directly, as in CommonMark
                while stack and indent < stack[-1][1]:
                    stack.pop()  # a sub-list starts at its parent's text; anything less is not one
                prefix = " " * (4 * len(stack))
                stack.append((indent, indent + len(item["marker"]) + len(item["gap"])))
                out.append(f"{prefix}{item['marker']} {item['text']}")
            elif code:
                # Indented code becomes a fence: Python-Markdown gives an indented block to the
                # deepest list item it reaches, CommonMark to the item whose text it reaches.
                while stack and stack[-1][1] > column:
                    stack.pop()  # code has no lazy lines: items it does not reach are closed
                prefix = " " * (4 * len(stack))
                if code_prefix is not None and code_prefix != prefix:
                    self._close_code(out, code_prefix)  # the same code, but in another block
                    code_prefix = None
                if code_prefix is None:
                    code_prefix = prefix
                    out.append(code_prefix + CODE_FENCE)
                out.append(code_prefix + line[column + 4 :])
            elif not stack:
                out.append(line)  # outside any list: untouched
            elif previous_blank:
                out.append(" " * (4 * len(stack)) + line.lstrip())  # a new paragraph of the item
            else:
                # A paragraph line continues the deepest item's paragraph, however indented.
                out.append(" " * (4 * len(stack)) + line.lstrip() if indent else line)
            if FENCE.match(line):
                emitted = out[-1]
                fence = (indent, emitted[: len(emitted) - len(emitted.lstrip())])
            previous_blank = False
        if code_prefix is not None:
            self._close_code(out, code_prefix)
        return out

    @staticmethod
    def _close_code(out: list[str], prefix: str) -> None:
        """Close the fence before the blank lines that ended the code."""
        blanks = 0
        while out and not out[-1].strip():
            out.pop()
            blanks += 1
        out.append(prefix + CODE_FENCE)
        out.extend([""] * max(blanks, 1))

    @staticmethod
    def _interrupts_paragraph(item: re.Match, indent: int, stack: list[tuple[int, int]]) -> bool:
        """True for a numbered line, other than `1.`, that would open a list inside a paragraph.

        A line too shallow to be a child of the deepest open item continues an open list;
        anything else would start a new list, which only `1.` may do inside a paragraph.
        """
        marker = item["marker"]
        if not marker[0].isdigit() or int(marker[:-1]) == 1:
            return False
        continues_a_list = bool(stack) and indent < stack[-1][1]
        return not continues_a_list


class NotesTreeprocessor(Treeprocessor):
    """Headings and sub-heading bullets become anchors; missing images become placeholders;
    highlighted passages are marked in text nodes only (never inside an attribute)."""

    def reset(self, rendered: Rendered, image_exists, image_url, highlights) -> None:
        self.rendered = rendered
        self.image_exists = image_exists
        self.image_url = image_url
        self.highlights = list(highlights)
        self.used_ids: set[str] = set()

    def run(self, root: ET.Element) -> None:
        self._walk(root, depth=0)
        for highlight in self.highlights:
            if not self._mark(root, highlight):
                self.rendered.unplaced.append(highlight)

    def _walk(self, element: ET.Element, depth: int) -> None:
        for child in list(element):
            if child.tag == "li":
                self._mark_subheading(child, depth)
                self._walk(child, depth + 1)
            elif child.tag == "img":
                self._replace_missing_image(element, child)
            elif child.tag in HEADING_DEPTH:
                self._anchor_heading(child)
                self._walk(child, depth)
            else:
                self._walk(child, depth)

    def _anchor_heading(self, heading: ET.Element) -> None:
        title = "".join(heading.itertext()).strip()
        if not title:
            return
        anchor = self._unique_id(slugify(title) or "section")
        heading.set("id", anchor)
        self.rendered.toc.append(
            {"id": anchor, "title": title, "depth": HEADING_DEPTH[heading.tag]}
        )

    def _mark_subheading(self, li: ET.Element, depth: int) -> None:
        children = list(li)
        if (li.text or "").strip() or not children:
            return
        first = children[0]
        if first.tag == "p" and not (first.text or "").strip() and len(first) == 1:
            first = first[0]  # loose lists wrap the text in a paragraph
        if first.tag != "strong" or (first.tail or "").strip():
            return
        rest = children[1:]
        has_sublist = any(c.tag in {"ul", "ol"} for c in rest)
        title = "".join(first.itertext()).strip()
        if not title or (
            not has_sublist and (len(title) > SUBHEADING_MAX_CHARS or re.search(r"[,.;]", title))
        ):
            return
        anchor = self._unique_id(slugify(title) or "section")
        li.set("id", anchor)
        li.set("class", "subheading")
        self.rendered.toc.append({"id": anchor, "title": title, "depth": depth})

    def _replace_missing_image(self, parent: ET.Element, img: ET.Element) -> None:
        src = img.get("src", "")
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("/"):
            return  # absolute URLs are left as they are
        path = str(PurePosixPath(src))
        if ".." in PurePosixPath(src).parts:
            path = ""
        if path and self.image_exists(path):
            img.set("src", self.image_url(path))
            img.set("loading", "lazy")
            return
        name = PurePosixPath(src).name or src
        alt = img.get("alt") or ""
        self.rendered.missing_images.append(src)
        index = list(parent).index(img)
        figure = ET.Element("span", {"class": "missing-image", "role": "img"})
        label = alt or name
        figure.set("aria-label", f"Image not available: {label}")
        figure.text = "Image not available"
        caption = ET.SubElement(figure, "span", {"class": "missing-image-name"})
        caption.text = f"{alt} ({name})" if alt else name
        figure.tail = img.tail
        parent.remove(img)
        parent.insert(index, figure)

    def _mark(self, root: ET.Element, highlight: Highlight) -> bool:
        """Wrap the first text node holding the quote in <mark>; put the note after its block."""
        for path in _element_paths(root):
            element = path[-1]
            if element.tag in {"pre", "code"} or any(e.tag == "aside" for e in path):
                continue
            holders = [(element, None)] + [(element, child) for child in element]
            for parent, child in holders:
                text = (child.tail if child is not None else parent.text) or ""
                start = text.find(highlight.quote)
                if start < 0:
                    continue
                self._wrap(parent, child, text, start, highlight, inside_link=_in_link(path))
                self._place_note(path, highlight)
                return True
        return False

    def _wrap(self, parent, child, text, start, highlight, *, inside_link: bool) -> None:
        end = start + len(highlight.quote)
        mark = ET.Element(
            "mark", {"class": "erratum-quote", "id": f"erratum-{highlight.key}-quote"}
        )
        mark.text = highlight.quote
        nodes = [mark]
        if not inside_link:  # a link inside a link is not HTML; the note still follows the block
            ref = ET.Element(
                "a",
                {
                    "class": "erratum-ref",
                    "href": f"#erratum-{highlight.key}",
                    "aria-label": f"Correction: {highlight.label}",
                },
            )
            ref.text = "*"
            nodes.append(ref)
        nodes[-1].tail = text[end:]
        if child is None:
            parent.text = text[:start]
            index = 0
        else:
            child.tail = text[:start]
            index = list(parent).index(child) + 1
        for offset, node in enumerate(nodes):
            parent.insert(index + offset, node)

    def _place_note(self, path: list[ET.Element], highlight: Highlight) -> None:
        """After the paragraph that holds the quote, or inside its list item before a sub-list."""
        note = ET.Element("p")
        note.text = self.md.htmlStash.store(highlight.note_html)
        for depth in range(len(path) - 1, 0, -1):
            block, parent = path[depth], path[depth - 1]
            if block.tag == "li":
                children = list(block)
                lists = [i for i, c in enumerate(children) if c.tag in {"ul", "ol"}]
                block.insert(lists[0] if lists else len(children), note)
                return
            if block.tag == "p" or depth == 1:
                parent.insert(list(parent).index(block) + 1, note)
                return

    def _unique_id(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{base}-{n}"
        self.used_ids.add(candidate)
        return candidate


def _element_paths(root: ET.Element):
    """Every element with its ancestors, in document order."""
    stack = [[root]]
    while stack:
        path = stack.pop()
        yield path
        stack.extend([*path, child] for child in reversed(list(path[-1])))


def _in_link(path: list[ET.Element]) -> bool:
    return any(element.tag == "a" for element in path)


class NotesExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(ListIndentPreprocessor(md), "list_indent", 40)
        # Raw HTML is shown as text: never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        self.tree = NotesTreeprocessor(md)
        md.treeprocessors.register(self.tree, "notes_tree", 5)


_local = threading.local()


def _renderer() -> tuple[markdown.Markdown, NotesExtension]:
    """This thread's Markdown object: built once, reset before each use."""
    if not hasattr(_local, "md"):
        extension = NotesExtension()
        _local.md = markdown.Markdown(
            extensions=[
                "tables",
                "sane_lists",
                "pymdownx.superfences",
                "pymdownx.highlight",
                "pymdownx.magiclink",
                extension,
            ],
            extension_configs={
                "pymdownx.highlight": {"guess_lang": False, "css_class": "highlight"},
                "pymdownx.magiclink": {"hide_protocol": False},
            },
            output_format="html",
        )
        _local.extension = extension
    return _local.md, _local.extension


def _no_images(_path: str) -> bool:
    return False


def render_markdown(
    text: str,
    *,
    image_exists: Callable[[str], bool] = _no_images,
    image_url: Callable[[str], str] = lambda path: path,
    highlights: Iterable[Highlight] = (),
) -> Rendered:
    """Render Markdown to sanitised HTML with highlighted code, links and anchors."""
    rendered = Rendered(html="")
    md, extension = _renderer()
    md.reset()
    extension.tree.reset(rendered, image_exists, image_url, highlights)
    rendered.html = sanitize(md.convert(text)).replace("<p></p>", "")
    return rendered


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=16_384)
def render_inline(text: str) -> str:
    """Render a short Markdown fragment (a card face, an option) without the outer <p>.
    Remembered: the same faces and options are rendered again each time content is loaded."""
    html = render_markdown(text).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
