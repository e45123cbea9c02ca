"""Command line: `python -m studyapp.engines.kinesis run [FILE]` (standard input without FILE)."""

from __future__ import annotations

import argparse
import json
import sys

from .scenario import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m studyapp.engines.kinesis",
        description="Kinesis Data Streams simulator on a virtual clock.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser(
        "run", help='run a scenario {"steps": [...]} and print one JSON result per step'
    )
    run_parser.add_argument("file", nargs="?", help="scenario file (default: standard input)")
    args = parser.parse_args(argv)
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as handle:
                scenario = json.load(handle)
        else:
            scenario = json.load(sys.stdin)
    except (OSError, json.JSONDecodeError) as error:
        print(f"cannot read the scenario: {error}", file=sys.stderr)
        return 2
    if not isinstance(scenario, dict | list):
        print('a scenario is {"steps": [...]}', file=sys.stderr)
        return 2
    json.dump(run(scenario), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
