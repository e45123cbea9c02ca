"""Command line: ``python -m studyapp.engines.sqs run [FILE]`` (standard input without FILE).

Prints a JSON array with one result per step.
"""

from __future__ import annotations

import sys

from ..cli import run_scenario_cli
from .scenario import run_scenario


def main(argv: list[str] | None = None) -> int:
    return run_scenario_cli(
        argv,
        prog="python -m studyapp.engines.sqs",
        description="Amazon SQS simulator on a virtual clock.",
        runner=run_scenario,
    )


if __name__ == "__main__":
    sys.exit(main())
