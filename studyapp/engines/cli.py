"""The scenario command line the engines share: `python -m studyapp.engines.<name> run [FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def _read(file: str | None) -> Any:
    if file:
        with open(file, encoding="utf-8") as handle:
            return json.load(handle)
    return json.load(sys.stdin)


def _dumps(results: Any) -> str:
    """The results as indented JSON, non-ASCII text as it is when the output can carry it.

    A string may hold a lone surrogate (JSON allows "\\ud800"), which no UTF-8 output can
    write: then every non-ASCII character is escaped, which is still the same JSON.
    """
    text = json.dumps(results, indent=2, ensure_ascii=False)
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(results, indent=2, ensure_ascii=True)
    return text


def run_scenario_cli(
    argv: list[str] | None, *, prog: str, description: str, runner: Callable[[Any], Any]
) -> int:
    """Read {"steps": [...]} from FILE or standard input, print one JSON result per step.

    Exit status 0 on success; 2 (with a message on standard error) when the scenario cannot
    be read or is not a scenario; 1 (with a message, never a traceback) if the engine itself
    fails. A failing step is not an error: its result is an {"Error": ...} object.
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help='run a scenario {"steps": [...]} and print one JSON result per step'
    )
    run.add_argument("file", nargs="?", help="scenario JSON file (default: standard input)")
    args = parser.parse_args(argv)
    try:
        scenario = _read(args.file)
        if not isinstance(scenario, dict | list):
            raise ValueError('a scenario is {"steps": [...]}')
        text = _dumps(runner(scenario))
    # json.JSONDecodeError and UnicodeDecodeError are ValueErrors; RecursionError comes from
    # JSON nested too deep to read.
    except (OSError, ValueError, RecursionError) as error:
        print(f"error: cannot run the scenario: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # the last guard: a message, never a traceback
        print(f"error: the simulator failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    sys.stdout.write("\n")
    return 0
