"""Where a question set's questions come from: the bank, the instructor's own, the engines.

Generated questions (engine-written, ``studyapp.quizzes.generated``) are stored as Question
rows on first use; if that package is not installed in this build, sets offer bank and own
questions only (``generated_kinds()`` is empty).
"""

from __future__ import annotations

import importlib

from studyapp.quizzes.models import Question


def _store():
    try:
        return importlib.import_module("studyapp.quizzes.generated.store")
    except ImportError:
        return None


def generated_kinds() -> tuple[str, ...]:
    store = _store()
    return tuple(store.KINDS) if store is not None else ()


def generated_questions(*, kind: str, count: int) -> list[Question]:
    store = _store()
    if store is None:
        raise LookupError("generated questions are not available in this build")
    return store.live_questions(kind=kind, count=count)
