"""Command line: ``python -m studyapp.engines.iam evaluate [FILE]`` (standard input without FILE).

``validate [FILE] [--kind KIND]`` checks one policy and prints its warnings.
Exit status: 0 on success, 2 on invalid input (a JSON error object on standard output).
"""

from __future__ import annotations

import argparse
import json
import sys

from .errors import PolicyError
from .parse import KINDS, parse_policy
from .scenario import run


def _read(path: str | None) -> str:
    if path is None or path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studyapp.engines.iam")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="evaluate a scenario document")
    ev.add_argument("file", nargs="?", help="JSON scenario (standard input when omitted)")
    va = sub.add_parser("validate", help="parse one policy and list its warnings")
    va.add_argument("file", nargs="?", help="JSON policy (standard input when omitted)")
    va.add_argument("--kind", choices=KINDS, default="identity")
    args = parser.parse_args(argv)
    try:
        text = _read(args.file)
    except OSError as exc:
        print(json.dumps({"error": f"cannot read {args.file}: {exc.strerror}"}))
        return 2
    try:
        if args.command == "evaluate":
            output = run(text).to_dict()
        else:
            policy = parse_policy(text, args.kind)
            output = {"valid": True, "warnings": [w.to_dict() for w in policy.warnings]}
    except PolicyError as exc:
        print(json.dumps(exc.to_dict(), indent=2))
        return 2
    print(json.dumps(output, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
