"""Parse the exam guide (`content/guide/exam.md`) and the study guide pages (`guide/pages/`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import FIELD, ID, ContentError

DOMAIN = re.compile(r"^## (?P<number>\S+)\s*$")
TASK = re.compile(r"^### (?P<code>\S+)\s*$")
TASK_CODE = re.compile(r"^(?P<domain>[1-9])\.(?P<task>[1-9])$")
URL = re.compile(r"^https://\S+$")
SECTION = re.compile(r"^## (?P<title>.+?)\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
LINK_TARGET = re.compile(r"\]\((?P<url>https://[^)\s]+)\)|<(?P<bare>https://[^>\s]+)>")
SOURCE_HOSTS = ("https://docs.aws.amazon.com/", "https://aws.amazon.com/")


@dataclass
class TaskDraft:
    code: str
    domain: int
    title: str
    weight: int
    notes: list[str]
    body: str
    order: int
    path: Path
    line: int


@dataclass
class DomainDraft:
    number: int
    title: str
    weight: int
    sources: list[str]
    path: Path
    line: int
    tasks: list[TaskDraft] = field(default_factory=list)


@dataclass
class GuidePageDraft:
    slug: str
    title: str
    tasks: list[str]
    order: int
    summary: str
    covers: str | None
    body: str
    path: Path
    line: int
    body_line: int


class _Fields:
    """`key: value` lines after a heading (or at the top of a file), with their line numbers."""

    def __init__(self, path: Path, line: int, known: set[str], repeatable: set[str] = frozenset()):
        self.path, self.line, self.known, self.repeatable = path, line, known, repeatable
        self.values: dict[str, list[tuple[str, int]]] = {}

    def add(self, key: str, value: str, line: int) -> None:
        if key not in self.known:
            raise ContentError(
                self.path, line, f"unknown field `{key}:` (known: {sorted(self.known)})"
            )
        if key in self.values and key not in self.repeatable:
            raise ContentError(self.path, line, f"field `{key}:` given more than once")
        self.values.setdefault(key, []).append((value.strip(), line))

    def one(self, key: str, *, required: bool = True) -> str:
        if key not in self.values:
            if required:
                raise ContentError(self.path, self.line, f"missing field `{key}:`")
            return ""
        return self.values[key][0][0]

    def many(self, key: str) -> list[str]:
        return [value for text, _line in self.values.get(key, []) for value in text.split()]

    def number(self, key: str, low: int, high: int, *, default: int | None = None) -> int:
        value = self.one(key, required=default is None)
        if not value and default is not None:
            return default
        if not value.isdigit() or not low <= int(value) <= high:
            raise ContentError(
                self.path,
                self.where(key),
                f"{key} must be a number from {low} to {high}, got {value!r}",
            )
        return int(value)

    def where(self, key: str) -> int:
        return self.values[key][0][1] if key in self.values else self.line


def parse_exam_guide(path: Path, text: str) -> list[DomainDraft]:
    """Domains (`## N`) and their task statements (`### N.M`), each with fields and a body."""
    domains: list[DomainDraft] = []
    items: list[tuple[str, _Fields, list[str]]] = []
    current: tuple[str, _Fields, list[str]] | None = None
    in_header = False
    for number, line in enumerate(text.splitlines(), start=1):
        domain, task = DOMAIN.match(line), TASK.match(line)
        if domain or task:
            kind = "domain" if domain else "task"
            known = {"title", "weight", "source"} if domain else {"title", "weight", "notes"}
            fields = _Fields(path, number, known, repeatable={"source"})
            key = domain["number"] if domain else task["code"]
            current = (f"{kind}:{key}", fields, [])
            items.append(current)
            in_header = True
            continue
        if current is None:
            if line.strip():
                raise ContentError(path, number, "text before the first `## N` domain")
            continue
        match = FIELD.match(line) if in_header else None
        if match:
            current[1].add(match["key"], match["value"], number)
        elif in_header and not line.strip():
            in_header = False
        elif in_header:
            raise ContentError(path, number, "expected `key: value` lines, then a blank line")
        else:
            current[2].append(line)
    order = 0
    for ident, fields, body in items:
        kind, key = ident.split(":", 1)
        if kind == "domain":
            if not key.isdigit() or not 1 <= int(key) <= 9:
                raise ContentError(path, fields.line, f"a domain is `## N` (a digit), got {key!r}")
            sources = fields.many("source")
            if not sources:
                raise ContentError(path, fields.line, "missing field `source:`")
            for url in sources:
                if not URL.match(url):
                    raise ContentError(
                        path, fields.where("source"), f"source must be an https URL, got {url!r}"
                    )
            domains.append(
                DomainDraft(
                    number=int(key),
                    title=fields.one("title"),
                    weight=fields.number("weight", 1, 100),
                    sources=sources,
                    path=path,
                    line=fields.line,
                )
            )
            continue
        code = TASK_CODE.match(key)
        if code is None:
            raise ContentError(path, fields.line, f"a task statement is `### N.M`, got {key!r}")
        if not domains or int(code["domain"]) != domains[-1].number:
            raise ContentError(
                path, fields.line, f"task {key} is not under its domain `## {code['domain']}`"
            )
        order += 1
        domains[-1].tasks.append(
            TaskDraft(
                code=key,
                domain=domains[-1].number,
                title=fields.one("title"),
                weight=fields.number("weight", 1, 100),
                notes=fields.many("notes"),
                body="\n".join(body).strip(),
                order=order,
                path=path,
                line=fields.line,
            )
        )
    _check_guide(path, domains)
    return domains


def _check_guide(path: Path, domains: list[DomainDraft]) -> None:
    if not domains:
        raise ContentError(path, 1, "the exam guide lists no domain")
    numbers = [domain.number for domain in domains]
    if numbers != list(range(1, len(domains) + 1)):
        raise ContentError(
            path, domains[0].line, f"domains must be numbered 1, 2, ... in order, got {numbers}"
        )
    if sum(domain.weight for domain in domains) != 100:
        raise ContentError(path, domains[0].line, "the domains' weights must add up to 100")
    for domain in domains:
        if not domain.tasks:
            raise ContentError(path, domain.line, f"domain {domain.number} has no task statement")
        codes = [task.code for task in domain.tasks]
        if codes != [f"{domain.number}.{index}" for index in range(1, len(codes) + 1)]:
            raise ContentError(
                path,
                domain.line,
                f"domain {domain.number}'s tasks must be numbered in order, got {codes}",
            )
        if sum(task.weight for task in domain.tasks) != 100:
            raise ContentError(
                path,
                domain.line,
                f"the weights of domain {domain.number}'s tasks must add up to 100",
            )
        for task in domain.tasks:
            if not task.body:
                raise ContentError(
                    path, task.line, f"task {task.code} has no text (Knowledge of / Skills in)"
                )


def parse_guide_page(path: Path, text: str) -> GuidePageDraft:
    """One page: `key: value` lines, a blank line, then Markdown with cited `##` sections."""
    slug = path.stem
    if not ID.match(slug):
        raise ContentError(
            path, 1, f"the file name {slug!r} must be lowercase letters, digits and hyphens"
        )
    fields = _Fields(path, 1, {"title", "task", "order", "summary", "covers"})
    lines = text.splitlines()
    body_start = len(lines)
    for index, line in enumerate(lines):
        match = FIELD.match(line)
        if match:
            fields.add(match["key"], match["value"], index + 1)
        elif not line.strip():
            body_start = index + 1
            break
        else:
            raise ContentError(
                path, index + 1, "a guide page starts with `key: value` lines, then a blank line"
            )
    tasks = fields.many("task")
    if not tasks:
        raise ContentError(path, 1, "missing field `task:`")
    body = "\n".join(lines[body_start:]).strip("\n")
    if not body.strip():
        raise ContentError(path, 1, "the page has no text")
    _check_sections(path, lines, body_start)
    return GuidePageDraft(
        slug=slug,
        title=fields.one("title"),
        tasks=tasks,
        order=fields.number("order", 0, 100000, default=100),
        summary=fields.one("summary", required=False),
        covers=fields.one("covers", required=False) or None,
        body=body + "\n",
        path=path,
        line=1,
        body_line=body_start + 1,
    )


def _check_sections(path: Path, lines: list[str], start: int) -> None:
    """Every `##` section cites at least one AWS documentation page."""
    sections: list[tuple[str, int, bool]] = []
    in_fence = False
    for index in range(start, len(lines)):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = SECTION.match(line)
        if heading:
            sections.append((heading["title"], index + 1, False))
            continue
        if sections and any(
            (match["url"] or match["bare"]).startswith(SOURCE_HOSTS)
            for match in LINK_TARGET.finditer(line)
        ):
            title, number, _cited = sections[-1]
            sections[-1] = (title, number, True)
    if not sections:
        raise ContentError(path, start + 1, "a guide page needs `##` sections")
    for title, number, cited in sections:
        if not cited:
            raise ContentError(
                path,
                number,
                f"section {title!r} cites no AWS documentation page (add `Source: [title](https://docs.aws.amazon.com/...)`)",
            )


def read_exam_guide(guide_dir: Path) -> list[DomainDraft]:
    path = guide_dir / "exam.md"
    if not path.is_file():
        raise ContentError(path, 1, "the exam guide is missing")
    return parse_exam_guide(path, path.read_text(encoding="utf-8"))


def read_guide_pages(guide_dir: Path) -> list[GuidePageDraft]:
    pages_dir = guide_dir / "pages"
    paths = sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []
    return [parse_guide_page(path, path.read_text(encoding="utf-8")) for path in paths]
