"""Command line: ``python -m studyapp.engines.sqs run [FILE]`` (standard input without FILE).

Prints a JSON array with one result per step.
"""

from __future__ import annotations

import argparse
import json
import sys

from .scenario import run_scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m studyapp.engines.sqs", description="Amazon SQS simulator"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help='run a {"steps": [...]} scenario file')
    run.add_argument("file", nargs="?", help="scenario JSON file (default: standard input)")
    args = parser.parse_args(argv)
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as handle:
                scenario = json.load(handle)
        else:
            scenario = json.load(sys.stdin)
        results = run_scenario(scenario)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
