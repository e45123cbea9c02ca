"""Card CSV import speed: 2,000 cards of Markdown, and one hostile 1 MB file (105 rows).

Times `parse_import` + `import_cards` (the work of POST /review/import/) for a realistic
2,000-card file, and the rendering of a file of nested brackets and emphasis runs that
makes backtracking renderers super-linear. Runs in a throwaway test database.

    DEBUG=1 .venv/bin/python benchmarks/card_import.py
"""

import csv
import io
import random
import statistics
import time

from django.conf import settings
from django_env import test_database

CARDS = 2_000
WORDS = [
    "queue",
    "shard",
    "stream",
    "lambda",
    "policy",
    "role",
    "bucket",
    "table",
    "index",
    "cache",
    "token",
    "key",
]


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def realistic_csv(rng: random.Random) -> str:
    rows = [["front", "back", "tags"]]
    for i in range(CARDS):
        front = f"**Card {i}**: what does `{rng.choice(WORDS)}` do with {' '.join(rng.choices(WORDS, k=12))}?"
        back = (
            f"- {' '.join(rng.choices(WORDS, k=8))}\n- see [docs](https://docs.aws.amazon.com/{i})"
            f'\n\n```json\n{{"n": {i}}}\n```'
        )
        rows.append([front, back, "bench"])
    return to_csv(rows)


def hostile_csv() -> str:
    cell = "[" * 2000 + "*a" * 700 + "_" * 1400  # 4,800 characters, under the field limit
    return to_csv([["front", "back"]] + [[f"{cell}{i}", cell] for i in range(105)])


def timed(text: str, user) -> tuple[float, int]:
    from studyapp.cards.exports import import_cards, parse_import
    from studyapp.cards.models import Card

    Card.objects.filter(owner=user).delete()
    start = time.perf_counter()
    created = import_cards(user=user, rows=parse_import(text))
    return time.perf_counter() - start, created


def main() -> None:
    from django.contrib.auth.models import User

    from studyapp.authoring.loader import load_content

    load_content(settings.CONTENT_DIR)
    user = User.objects.create_user("bench", password="bench-password-123")
    text = realistic_csv(random.Random(1))
    runs = [timed(text, user) for _ in range(3)]
    seconds = statistics.median(run[0] for run in runs)
    print(
        f"realistic import: {CARDS} cards, {len(text) / 1024:.0f} KB: "
        f"{seconds:.2f} s median of 3 ({seconds / CARDS * 1000:.2f} ms per card)"
    )
    hostile = hostile_csv()
    seconds, created = timed(hostile, user)
    print(
        f"hostile import: {created} cards, {len(hostile) / 1024:.0f} KB: {seconds:.2f} s "
        f"({seconds * 1000 / (len(hostile) / 1024):.2f} ms per KB)"
    )
    authored_render(text)


def authored_render(text: str) -> None:
    """The authored-content renderer (load_content), reused per thread, on the same faces."""
    import markdown

    from studyapp.notes.markdown import render_markdown

    faces = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    start = time.perf_counter()
    for face in faces:
        render_markdown(face)
    reused = (time.perf_counter() - start) / len(faces)
    start = time.perf_counter()
    for face in faces[:200]:  # what every call cost when each built its own Markdown object
        markdown.Markdown(
            extensions=[
                "tables",
                "sane_lists",
                "pymdownx.superfences",
                "pymdownx.highlight",
                "pymdownx.magiclink",
            ]
        ).convert(face)
    fresh = (time.perf_counter() - start) / 200
    print(
        f"authored renderer: {reused * 1000:.2f} ms per face reused, "
        f"{fresh * 1000:.2f} ms building a Markdown object per call"
    )


if __name__ == "__main__":
    with test_database():
        main()
