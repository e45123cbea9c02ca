"""Command line: ``python -m studyapp.engines.iam evaluate [FILE]`` (standard input without FILE).

``validate [FILE] [--kind KIND]`` checks one policy and prints its warnings.
Exit status: 0 on success, 2 on invalid input (a JSON error object on standard output), 1 if
the engine itself failed (also a JSON error object: the command never prints a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys

from .errors import PolicyError
from .parse import KINDS, load_json, parse_policy
from .scenario import run


def _read(path: str | None) -> bytes:
    if path is None or path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream is not None else sys.stdin.read().encode()
    with open(path, "rb") as fh:
        return fh.read()


def _print(data: object) -> None:
    print(json.dumps(data, indent=2))


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
        raw = _read(args.file)
    except OSError as exc:
        _print({"error": f"cannot read {args.file}: {exc.strerror or exc}"})
        return 2
    try:
        data = load_json(raw)
        if args.command == "evaluate":
            output = run(data).to_dict()
        else:
            policy = parse_policy(data, args.kind)
            output = {"valid": True, "warnings": [w.to_dict() for w in policy.warnings]}
    except PolicyError as exc:
        _print(exc.to_dict())
        return 2
    except RecursionError:
        _print({"error": "invalid input: nested too deeply"})
        return 2
    except Exception as exc:  # a bug in the engine: say so, in JSON
        _print({"error": f"internal error: {type(exc).__name__}: {exc}"})
        return 1
    _print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
