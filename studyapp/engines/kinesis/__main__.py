"""Command line: `python -m studyapp.engines.kinesis run [FILE]` (standard input without FILE)."""

from __future__ import annotations

import sys

from ..cli import run_scenario_cli
from .scenario import run


def main(argv: list[str] | None = None) -> int:
    return run_scenario_cli(
        argv,
        prog="python -m studyapp.engines.kinesis",
        description="Kinesis Data Streams simulator on a virtual clock.",
        runner=run,
    )


if __name__ == "__main__":
    sys.exit(main())
