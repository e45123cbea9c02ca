"""Command line: ``python -m studyapp.engines.dynamodb run [FILE]`` (standard input without FILE).

Prints a JSON array with one result per step; exits 2 with a message when the scenario cannot
be read.
"""

from __future__ import annotations

import sys

from ..cli import run_scenario_cli
from .scenario import run_scenario


def main(argv: list[str] | None = None) -> int:
    try:
        return run_scenario_cli(
            argv,
            prog="python -m studyapp.engines.dynamodb",
            description="Amazon DynamoDB simulator on a virtual clock.",
            runner=run_scenario,
        )
    except RecursionError:
        # json refuses documents nested deeper than the interpreter allows.
        print("error: cannot run the scenario: the JSON is nested too deeply", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
