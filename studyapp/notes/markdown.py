"""Markdown to safe HTML, done once at load time.

The notes are written with 2-space (sometimes 3-space) nested lists, which Python-Markdown
reads as 4-space; `ListIndentPreprocessor` rewrites list indentation to 4 spaces per level
first. Raw HTML in a note is escaped (shown as text), and the output is sanitised by nh3.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

LIST_ITEM = re.compile(r"^(?P<indent>[ ]*)(?P<marker>[-*+]|\d+[.)])(?P<gap>[ ]+)(?P<text>.*)$")
FENCE = re.compile(r"^\s*(```|~~~)")
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


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)


class ListIndentPreprocessor(Preprocessor):
    """Re-indent nested lists to 4 spaces per level, whatever indentation the author used."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[tuple[int, int]] = []  # (marker indent, content indent) of open items
        fence_prefix: str | None = None
        previous_blank = True
        for line in lines:
            if fence_prefix is not None:
                out.append(fence_prefix + line if line.strip() else line)
                if FENCE.match(line):
                    fence_prefix = None
                continue
            if not line.strip():
                out.append(line)
                previous_blank = True
                continue
            indent = len(line) - len(line.lstrip(" "))
            item = LIST_ITEM.match(line)
            if item:
                if not stack and not previous_blank:
                    out.append("")  # a list may follow a paragraph line directly, as in CommonMark
                while stack and indent <= stack[-1][0]:
                    stack.pop()
                prefix = " " * (4 * len(stack))
                stack.append((indent, indent + len(item["marker"]) + len(item["gap"])))
                out.append(f"{prefix}{item['marker']} {item['text']}")
            elif indent == 0 and (previous_blank or not stack):
                stack.clear()  # unindented text after a blank line ends the list
                out.append(line)
            elif indent == 0:
                out.append(line)  # a lazy continuation of the item above
            else:
                # Indented text belongs to the deepest item whose content it reaches.
                while stack and indent < stack[-1][1] - 1:
                    stack.pop()
                out.append(" " * (4 * len(stack)) + line.lstrip())
            if FENCE.match(line):
                fence_prefix = out[-1][: len(out[-1]) - len(out[-1].lstrip())]
            previous_blank = False
        return out


class NotesTreeprocessor(Treeprocessor):
    """Sub-heading bullets become anchors; images that do not exist become placeholders."""

    def __init__(self, md, rendered: Rendered, image_exists: Callable[[str], bool], image_url):
        super().__init__(md)
        self.rendered = rendered
        self.image_exists = image_exists
        self.image_url = image_url
        self.used_ids: set[str] = set()

    def run(self, root: ET.Element) -> None:
        self._walk(root, depth=0)

    def _walk(self, element: ET.Element, depth: int) -> None:
        for child in list(element):
            if child.tag == "li":
                self._mark_subheading(child, depth)
                self._walk(child, depth + 1)
            elif child.tag == "img":
                self._replace_missing_image(element, child)
            else:
                self._walk(child, depth)

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

    def _unique_id(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{base}-{n}"
        self.used_ids.add(candidate)
        return candidate


class NotesExtension(Extension):
    def __init__(self, rendered: Rendered, image_exists, image_url, **kwargs):
        self.rendered = rendered
        self.image_exists = image_exists
        self.image_url = image_url
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(ListIndentPreprocessor(md), "list_indent", 40)
        # Raw HTML is shown as text: never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(
            NotesTreeprocessor(md, self.rendered, self.image_exists, self.image_url),
            "notes_tree",
            5,
        )


def _no_images(_path: str) -> bool:
    return False


def render_markdown(
    text: str,
    *,
    image_exists: Callable[[str], bool] = _no_images,
    image_url: Callable[[str], str] = lambda path: path,
) -> Rendered:
    """Render Markdown to sanitised HTML with highlighted code, links and anchors."""
    rendered = Rendered(html="")
    md = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "pymdownx.magiclink",
            NotesExtension(rendered, image_exists, image_url),
        ],
        extension_configs={
            "pymdownx.highlight": {"guess_lang": False, "css_class": "highlight"},
            "pymdownx.magiclink": {"hide_protocol": False},
        },
        output_format="html",
    )
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


def render_inline(text: str) -> str:
    """Render a short Markdown fragment (a card face, an option) without the outer <p>."""
    html = render_markdown(text).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
