from .exam import (
    exam_answer,
    exam_finish,
    exam_home,
    exam_question,
    exam_results,
    exam_review,
    exam_start,
)
from .practice import practice, practice_answer, practice_summary

__all__ = [
    "exam_answer",
    "exam_finish",
    "exam_home",
    "exam_question",
    "exam_results",
    "exam_review",
    "exam_start",
    "practice",
    "practice_answer",
    "practice_summary",
]
