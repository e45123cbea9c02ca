"""Parse question files (content/questions/*.md): one question per `###` heading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.notes.markdown import render_inline, render_markdown
from studyapp.quizzes.generated.base import KEY_PREFIX

from .blocks import Block, ContentError, parse_blocks

OPTION = re.compile(r"^- \[(?P<mark>[ xX])\] (?P<text>.+)$")
WHY = re.compile(r"^\s+why:\s*(?P<text>.+)$")
CHOOSE = re.compile(r"\(Choose (?P<n>TWO|THREE|FOUR|FIVE)\.?\)", re.IGNORECASE)
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}
URL = re.compile(r"^https://\S+$")


@dataclass
class ChoiceDraft:
    text: str
    correct: bool
    why: str = ""

    @property
    def text_html(self) -> str:
        return render_inline(self.text)

    @property
    def why_html(self) -> str:
        return render_inline(self.why) if self.why else ""


@dataclass
class QuestionDraft:
    key: str
    topic_slug: str
    task_code: str
    difficulty: int
    stem: str
    explanation: str
    sources: list[str]
    order: int
    path: Path
    line: int
    choices: list[ChoiceDraft] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "multiple" if sum(choice.correct for choice in self.choices) > 1 else "single"


def _number(block: Block, name: str, low: int, high: int) -> int:
    value = block.one(name)
    if not value.isdigit() or not low <= int(value) <= high:
        raise block.error(
            f"{name} must be a number from {low} to {high}, got {value!r}", block.field_line(name)
        )
    return int(value)


def parse_question_file(path: Path, text: str, *, start_order: int = 0) -> list[QuestionDraft]:
    drafts = []
    blocks = parse_blocks(
        path,
        text,
        level=3,
        fields={"topic", "task", "difficulty", "source"},
        defaults={"task", "topic"},
    )
    for block in blocks:
        drafts.append(_parse_question(block, start_order + len(drafts)))
    return drafts


def _parse_question(block: Block, order: int) -> QuestionDraft:
    if block.key.startswith(KEY_PREFIX):
        raise block.error(f"ids starting with {KEY_PREFIX!r} are kept for generated questions")
    stem_lines: list[str] = []
    explanation_lines: list[str] = []
    choices: list[ChoiceDraft] = []
    part = "stem"
    for text, line in block.body:
        option = OPTION.match(text)
        if part in {"stem", "options"} and option:
            part = "options"
            choices.append(ChoiceDraft(option["text"].strip(), option["mark"] != " "))
            continue
        why = WHY.match(text)
        if part == "options" and why:
            if not choices or choices[-1].correct:
                raise block.error("a `why:` line must follow a wrong option", line)
            if choices[-1].why:
                raise block.error("this option already has a `why:` line", line)
            choices[-1].why = why["text"].strip()
            continue
        if text.startswith("explanation:"):
            if part == "explanation":
                raise block.error("`explanation:` given twice", line)
            part = "explanation"
            explanation_lines.append(text[len("explanation:") :].strip())
            continue
        if part == "stem":
            stem_lines.append(text)
        elif part == "explanation":
            explanation_lines.append(text)
        elif text.strip():
            raise block.error(
                "expected an option (`- [x] ...` / `- [ ] ...`), a `why:` line or `explanation:`",
                line,
            )
    stem = "\n".join(stem_lines).strip()
    explanation = "\n".join(explanation_lines).strip()
    _validate(block, stem, explanation, choices)
    sources = [url for value in block.many("source") for url in value.split()]
    for url in sources:
        if not URL.match(url):
            raise block.error(
                f"source must be an https URL, got {url!r}", block.field_line("source")
            )
    return QuestionDraft(
        key=block.key,
        topic_slug=block.one("topic"),
        task_code=block.one("task"),
        difficulty=_number(block, "difficulty", 1, 3),
        stem=stem,
        explanation=explanation,
        sources=sources,
        order=order,
        path=block.path,
        line=block.line,
        choices=choices,
    )


def _validate(block: Block, stem: str, explanation: str, choices: list[ChoiceDraft]) -> None:
    if not stem:
        raise block.error("the question has no stem")
    if len(choices) < 4:
        raise block.error(f"a question needs at least 4 options, found {len(choices)}")
    correct = sum(choice.correct for choice in choices)
    if correct == 0:
        raise block.error("no option is marked correct with `- [x]`")
    missing_why = [choice.text[:40] for choice in choices if not choice.correct and not choice.why]
    if missing_why:
        raise block.error(f"wrong option without a `why:` line: {missing_why[0]!r}")
    choose = CHOOSE.search(stem)
    if correct > 1 and (choose is None or NUMBERS[choose["n"].lower()] != correct):
        raise block.error(
            f"{correct} options are correct: the stem must say (Choose {correct} in words.)"
        )
    if correct == 1 and choose is not None:
        raise block.error("the stem says (Choose N.) but only one option is correct")
    if not explanation:
        raise block.error("the question has no `explanation:`")


def render_question(draft: QuestionDraft) -> dict:
    return {
        "stem_html": render_markdown(draft.stem).html,
        "explanation_html": render_markdown(draft.explanation).html,
    }


def check_question_references(
    drafts: list[QuestionDraft], topics: set[str], tasks: set[str]
) -> None:
    for draft in drafts:
        if draft.topic_slug not in topics:
            raise ContentError(draft.path, draft.line, f"unknown topic slug {draft.topic_slug!r}")
        if draft.task_code not in tasks:
            raise ContentError(draft.path, draft.line, f"unknown task {draft.task_code!r}")
