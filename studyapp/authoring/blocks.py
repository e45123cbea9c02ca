"""The shared shape of content files: a heading per item, `key: value` lines, then a body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FIELD = re.compile(r"^(?P<key>[a-z][a-z_-]*):[ \t]*(?P<value>.*)$")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(Exception):
    """A problem in a content file, located as `file:line`."""

    def __init__(self, path: Path | str, line: int, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


@dataclass
class Block:
    key: str
    path: Path
    line: int
    fields: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    body: list[tuple[str, int]] = field(default_factory=list)

    def where(self, line: int | None = None) -> tuple[str, int]:
        return str(self.path), line or self.line

    def error(self, message: str, line: int | None = None) -> ContentError:
        return ContentError(self.path, line or self.line, message)

    def one(self, name: str, *, required: bool = True, default: str = "") -> str:
        values = self.fields.get(name, [])
        if not values:
            if required:
                raise self.error(f"missing field `{name}:`")
            return default
        if len(values) > 1:
            raise self.error(f"field `{name}:` given more than once", values[1][1])
        return values[0][0]

    def many(self, name: str, *, required: bool = True) -> list[str]:
        values = [value for value, _line in self.fields.get(name, [])]
        if required and not values:
            raise self.error(f"missing field `{name}:`")
        return values

    def field_line(self, name: str) -> int:
        values = self.fields.get(name)
        return values[0][1] if values else self.line

    @property
    def body_text(self) -> str:
        return "\n".join(text for text, _line in self.body).strip("\n")


def parse_blocks(
    path: Path, text: str, *, level: int, fields: set[str], defaults: set[str] = frozenset()
) -> list[Block]:
    """Split `text` at headings of `level` hashes; read known `key: value` lines after each.

    `key: value` lines before the first heading are file front matter: for the names in
    `defaults`, they apply to every item that does not give its own.
    """
    marker = "#" * level + " "
    blocks: list[Block] = []
    current: Block | None = None
    front: dict[str, list[tuple[str, int]]] = {}
    in_header = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(marker):
            key = line[len(marker) :].strip()
            if not ID.match(key):
                raise ContentError(
                    path, number, f"id {key!r} must be lowercase letters, digits and hyphens"
                )
            current = Block(key=key, path=path, line=number)
            blocks.append(current)
            in_header = True
            continue
        if current is None:
            match = FIELD.match(line)
            if match and match["key"] in defaults:
                if match["key"] in front:
                    raise ContentError(path, number, f"front matter `{match['key']}:` given twice")
                front[match["key"]] = [(match["value"].strip(), number)]
            elif match:
                raise ContentError(
                    path,
                    number,
                    f"unknown front matter `{match['key']}:` (known: {sorted(defaults)})",
                )
            elif line.strip() and not line.startswith("#"):
                raise ContentError(path, number, f"text before the first `{marker.strip()}` item")
            continue
        if in_header:
            match = FIELD.match(line)
            if match and match["key"] in fields:
                current.fields.setdefault(match["key"], []).append((match["value"].strip(), number))
                continue
            if match:
                raise ContentError(
                    path, number, f"unknown field `{match['key']}:` (known: {sorted(fields)})"
                )
            if not line.strip():
                in_header = False
                continue
            raise ContentError(path, number, "expected `key: value` lines, then a blank line")
        current.body.append((line, number))
    seen: dict[str, int] = {}
    for block in blocks:
        for name, values in front.items():
            block.fields.setdefault(name, values)
        if block.key in seen:
            raise block.error(f"duplicate id {block.key!r} (first at line {seen[block.key]})")
        seen[block.key] = block.line
    return blocks
