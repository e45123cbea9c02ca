"""Run the fidelity property over every parsed item: content that renders wrong fails to load."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from .blocks import ContentError
from .fidelity import fidelity_problems
from .questions import render_question


def rendered_items(bundle) -> Iterator[tuple[object, int, str, str, str]]:
    """(path, line, what, Markdown source, rendered HTML) for each rendered piece of text."""
    for topic in bundle.topics:
        yield topic.source_path, topic.line, f"topic {topic.slug!r}", topic.body, topic.body_html
    for erratum in bundle.errata:
        yield (
            erratum.path,
            erratum.line,
            f"erratum {erratum.key!r}",
            erratum.body_markdown,
            erratum.body_html,
        )
    for card in bundle.cards:
        yield card.path, card.line, f"card {card.key!r} front", card.front_text, card.front_html
        yield card.path, card.line, f"card {card.key!r} back", card.back_text, card.back_html
    for question in bundle.questions:
        where = (question.path, question.line)
        html = render_question(question)
        yield *where, f"question {question.key!r} stem", question.stem, html["stem_html"]
        yield (
            *where,
            f"question {question.key!r} explanation",
            question.explanation,
            html["explanation_html"],
        )
        for number, choice in enumerate(question.choices, start=1):
            yield (
                *where,
                f"question {question.key!r} option {number}",
                choice.text,
                choice.text_html,
            )
            if choice.why:
                yield (
                    *where,
                    f"question {question.key!r} option {number} why",
                    choice.why,
                    choice.why_html,
                )


@lru_cache(maxsize=32_768)
def _problems(source: str, html: str) -> tuple[str, ...]:
    """Remembered per process: loading content again (a test, a second command) re-checks
    only what changed."""
    return tuple(fidelity_problems(source, html))


def check_rendering(bundle) -> int:
    """Raise ContentError at the first item whose rendering lost or changed its text."""
    checked = 0
    for path, line, what, source, html in rendered_items(bundle):
        problems = _problems(source, html)
        if problems:
            raise ContentError(path, line, f"{what} renders wrong: {problems[0]}")
        checked += 1
    return checked
