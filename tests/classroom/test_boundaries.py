"""The classroom's imports keep DESIGN.md's arrows: classroom -> quizzes, live (and notes).

Flashcards belong to ``cards``: the cohort report reads them through ``cards.selectors``, a
public read the cards app owns and keeps a fixed number of queries, never through its models.
"""

import ast
from pathlib import Path

import studyapp.classroom

CLASSROOM = Path(studyapp.classroom.__file__).parent
ALLOWED_FROM_CARDS = {"studyapp.cards.selectors"}
NEVER = ("studyapp.readiness", "studyapp.sims", "studyapp.awsapi", "studyapp.authoring",
         "studyapp.engines")  # fmt: skip


def imported(path: Path) -> set[str]:
    """Every module a file imports (``from a import b`` counts as a.b as well as a)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_classroom_reads_cards_only_through_its_selectors():
    crossings = []
    for path in sorted(CLASSROOM.rglob("*.py")):
        for name in imported(path):
            into_cards = name.startswith("studyapp.cards.")
            deeper = any(name.startswith(f"{allowed}.") for allowed in ALLOWED_FROM_CARDS)
            if into_cards and name not in ALLOWED_FROM_CARDS and not deeper:
                crossings.append(f"{path.relative_to(CLASSROOM)}: {name}")
            if name.startswith(NEVER):
                crossings.append(f"{path.relative_to(CLASSROOM)}: {name}")
    assert crossings == []


def test_the_check_sees_a_crossing(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from studyapp.cards.models import ReviewLog\nimport studyapp.sims\n")
    assert {"studyapp.cards.models", "studyapp.sims"} <= imported(sample)
