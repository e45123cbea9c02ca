"""Questions the engines write and check: IAM, SQS, Kinesis and DynamoDB generators.

Pure Python over the engines' public APIs (``generate(kind, seed)``, ``solve(kind, scenario)``);
``store`` turns a generated question into a Question row (key ``gen-<kind>-<seed>``) so that
practice, review and live quizzes use it like an authored one.
"""

from . import dynamodb, iam, kinesis, sqs
from .base import KEY_PREFIX, Generated, GenerationError, Option, question_key

GENERATORS = {"iam": iam, "sqs": sqs, "kinesis": kinesis, "dynamodb": dynamodb}
KINDS = tuple(GENERATORS)
TASKS = {kind: module.TASK for kind, module in GENERATORS.items()}  # kind -> task code
MAX_SEED = 10**9


def generate(kind: str, seed: int) -> Generated:
    """The question of generator `kind` for `seed` (the same seed, the same question)."""
    return GENERATORS[kind].generate(seed)


def solve(kind: str, scenario: dict) -> str:
    """What the engine answers for a generated scenario: the text of the keyed option."""
    return GENERATORS[kind].solve(scenario)


__all__ = [
    "GENERATORS",
    "KEY_PREFIX",
    "KINDS",
    "MAX_SEED",
    "TASKS",
    "Generated",
    "GenerationError",
    "Option",
    "generate",
    "question_key",
    "solve",
]
