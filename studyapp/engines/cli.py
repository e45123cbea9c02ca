"""The scenario command line the engines share: `python -m studyapp.engines.<name> run [FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def run_scenario_cli(
    argv: list[str] | None, *, prog: str, description: str, runner: Callable[[Any], Any]
) -> int:
    """Read {"steps": [...]} from FILE or standard input, print one JSON result per step.

    Exit status 0 on success; 2 (with a message on standard error) when the scenario cannot
    be read. A failing step is not an error: its result is an {"Error": ...} object.
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help='run a scenario {"steps": [...]} and print one JSON result per step'
    )
    run.add_argument("file", nargs="?", help="scenario JSON file (default: standard input)")
    args = parser.parse_args(argv)
    try:
        if args.file:
            with open(args.file, encoding="utf-8") as handle:
                scenario = json.load(handle)
        else:
            scenario = json.load(sys.stdin)
        if not isinstance(scenario, dict | list):
            raise ValueError('a scenario is {"steps": [...]}')
        results = runner(scenario)
    except (OSError, ValueError) as error:  # json.JSONDecodeError is a ValueError
        print(f"error: cannot run the scenario: {error}", file=sys.stderr)
        return 2
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
