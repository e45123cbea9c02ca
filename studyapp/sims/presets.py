"""Simulator presets: the scenario files in content/scenarios/<simulator>/, read one way.

One loader for every simulator, parameterised by its engine (a ``Kind``), with one error
contract:

- ``load(kind, name)``: the preset, or ``PresetNotFound`` for a name that is not a file there
  (names are looked up, never joined into a path), or ``PresetError`` (``file:line: why``)
  for a file that is not a valid preset.
- ``available(kind)``: the valid presets, for a picker; a broken file is left out and logged
  as a warning, so that one bad file never breaks a page.
- ``problems(content_dir)``: every preset of every simulator run through its engine, for
  ``manage.py validate_content``.

Files are read again only when they change (their size or modification time).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from studyapp.engines import dynamodb, iam, kinesis, sqs

logger = logging.getLogger(__name__)

_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
_SPACE = re.compile(r"[ \t\n\r]*")


class PresetNotFound(LookupError):
    """No preset of that name."""


class PresetError(ValueError):
    """A preset file that cannot be used: where (file and line) and why."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class Problem(ValueError):
    """What a check finds wrong, at a JSON path of the document ("steps[2].Action")."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Kind:
    """How one simulator's presets are checked.

    ``check`` is quick (every page that lists presets runs it once per file version):
    the document's shape, and that the engine knows each step. ``verify`` runs the preset
    through the engine (validate_content): only the errors it lists in "expected_errors"
    may come out. Both raise Problem.
    """

    folder: str
    check: Callable[[dict[str, Any]], None]
    verify: Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Preset:
    kind: str
    name: str
    path: Path = field(compare=False)
    title: str
    description: str
    data: dict[str, Any] = field(compare=False, repr=False)


# --- where things are in a JSON file ---------------------------------------------------------


class Lines:
    """The line of each value of a (valid) JSON text, by path: "steps[2].Action"."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.found: dict[str, int] = {}
        self.decoder = json.JSONDecoder()
        # Not JSON as expected: the lines are approximate then.
        with contextlib.suppress(ValueError, IndexError, RecursionError):
            self._value(0, "")

    def line(self, where: str) -> int:
        """The line of the value at ``where``, or of the nearest enclosing one."""
        while where and where not in self.found:
            cut = max(where.rfind("."), where.rfind("["))
            where = where[: max(cut, 0)]
        return self.found.get(where, 1)

    def _skip(self, i: int) -> int:
        return _SPACE.match(self.text, i).end()  # type: ignore[union-attr]

    def _value(self, i: int, where: str) -> int:
        text = self.text
        i = self._skip(i)
        self.found[where] = bisect.bisect_left(self.newlines, i) + 1
        if text[i] not in "{[":
            return self.decoder.raw_decode(text, i)[1]
        closing = "}" if text[i] == "{" else "]"
        i = self._skip(i + 1)
        number = 0
        while text[i] != closing:
            if closing == "}":
                key, i = self.decoder.raw_decode(text, i)
                i = self._skip(i) + 1  # the colon
                i = self._value(i, f"{where}.{key}" if where else str(key))
            else:
                i = self._value(i, f"{where}[{number}]")
                number += 1
            i = self._skip(i)
            if text[i] == ",":
                i = self._skip(i + 1)
        return i + 1


# --- reading ---------------------------------------------------------------------------------


def folder(kind: Kind, content_dir: Path | None = None) -> Path:
    return Path(content_dir or settings.CONTENT_DIR) / "scenarios" / kind.folder


def _files(kind: Kind, content_dir: Path | None = None) -> dict[str, Path]:
    where = folder(kind, content_dir)
    if not where.is_dir():
        return {}
    return {path.stem: path for path in sorted(where.glob("*.json")) if _NAME.fullmatch(path.stem)}


def _parse(kind: Kind, path: Path, *, verify: bool) -> Preset:
    """The preset in a file; PresetError saying where and why it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PresetError(path, 1, f"cannot be read: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PresetError(path, error.lineno, f"invalid JSON: {error.msg}") from None
    except (ValueError, RecursionError) as error:
        raise PresetError(path, 1, f"invalid JSON: {error}") from None
    try:
        if not isinstance(data, dict):
            raise Problem("", "a preset is a JSON object")
        for key in ("title", "description"):
            if not isinstance(data.get(key, ""), str):
                raise Problem(key, f"{key} must be text")
        kind.check(data)
        if verify:
            kind.verify(data)
    except Problem as problem:
        raise PresetError(path, Lines(text).line(problem.where), problem.message) from None
    except RecursionError:
        raise PresetError(path, 1, "nested too deeply") from None
    return Preset(
        kind=kind.folder,
        name=path.stem,
        path=path,
        title=data.get("title") or path.stem,
        description=data.get("description") or "",
        data=data,
    )


@lru_cache(maxsize=256)
def _read(kind: Kind, path: Path, _version: tuple[int, int]) -> Preset | PresetError:
    try:
        return _parse(kind, path, verify=False)
    except PresetError as error:
        logger.warning("sims: preset skipped, %s", error)
        return error


def _version(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def load(kind: Kind, name: str) -> Preset:
    """The preset called ``name``; PresetNotFound or PresetError (see the module)."""
    path = _files(kind).get(name) if isinstance(name, str) else None
    if path is None:
        raise PresetNotFound(name)
    found = _read(kind, path, _version(path))
    if isinstance(found, PresetError):
        raise found
    return found


def available(kind: Kind) -> list[Preset]:
    """Every valid preset of a simulator, by name."""
    found = (_read(kind, path, _version(path)) for path in _files(kind).values())
    return [preset for preset in found if isinstance(preset, Preset)]


def problems(content_dir: Path | None = None) -> tuple[int, list[PresetError]]:
    """(presets checked, what is wrong with them), every simulator's, through the engines."""
    checked, found = 0, []
    for kind in KINDS:
        for path in _files(kind, content_dir).values():
            checked += 1
            try:
                _parse(kind, path, verify=True)
            except PresetError as error:
                found.append(error)
    return checked, found


# --- the engines' checks ---------------------------------------------------------------------


def _steps(data: dict[str, Any], actions: Any) -> list[dict[str, Any]]:
    steps = data.get("steps")
    if not isinstance(steps, list):
        raise Problem("steps", 'a scenario is an object with a "steps" list')
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("Action"), str):
            raise Problem(f"steps[{i}]", "a step is an object with an Action")
        if step["Action"] not in actions:
            raise Problem(f"steps[{i}].Action", f"the engine has no action {step['Action']}")
    return steps


def _expected_errors(data: dict[str, Any]) -> dict[int, str | None]:
    """Step -> error code the preset shows on purpose (None: any code). SQS presets list
    the steps; Kinesis and DynamoDB presets map each step to its code."""
    given = data.get("expected_errors", {})
    try:
        if isinstance(given, list):
            return {int(step): None for step in given}
        if isinstance(given, dict):
            return {int(step): str(code) for step, code in given.items()}
    except (TypeError, ValueError):
        pass
    raise Problem("expected_errors", "expected_errors lists step numbers (or maps them to codes)")


def _compare(data: dict[str, Any], results: list[dict[str, Any]]) -> None:
    expected = _expected_errors(data)
    for i, result in enumerate(results):
        error = result.get("Error") if isinstance(result, dict) else None
        if error and i not in expected:
            raise Problem(
                f"steps[{i}]", f"step {i} fails: {error.get('Code')}: {error.get('Message')}"
            )
        if i in expected:
            if not error:
                raise Problem("expected_errors", f"step {i} is expected to fail, and succeeds")
            if expected[i] not in (None, error.get("Code")):
                raise Problem(
                    f"steps[{i}]", f"step {i} fails with {error.get('Code')}, not {expected[i]}"
                )


def _check_sqs(data: dict[str, Any]) -> None:
    _steps(data, sqs.ACTIONS)
    try:
        sqs.engine_for(data)
    except (TypeError, ValueError, AttributeError) as error:
        raise Problem("simulation", f"simulation: {error}") from None


def _verify_sqs(data: dict[str, Any]) -> None:
    _compare(data, sqs.run_scenario(data))


def _check_kinesis(data: dict[str, Any]) -> None:
    _steps(data, kinesis.ACTIONS)


def _verify_kinesis(data: dict[str, Any]) -> None:
    _compare(data, kinesis.run(data))


def _check_dynamodb(data: dict[str, Any]) -> None:
    _steps(data, (*dynamodb.ACTIONS, *dynamodb.SIMULATOR_ACTIONS))
    try:
        dynamodb.engine_for(data)
    except (TypeError, ValueError, AttributeError) as error:
        raise Problem("simulation", f"simulation: {error}") from None


def _verify_dynamodb(data: dict[str, Any]) -> None:
    _compare(data, dynamodb.run_scenario(data))


IAM_DECISIONS = (iam.ALLOW, iam.EXPLICIT_DENY, iam.IMPLICIT_DENY)


def _check_iam(data: dict[str, Any]) -> None:
    try:
        iam.parse_input(data)
    except iam.PolicyError as error:
        raise Problem(error.path or "", str(error)) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise Problem("", str(error)) from None
    if "expected" in data and data["expected"] not in IAM_DECISIONS:
        raise Problem("expected", f"expected is one of {', '.join(IAM_DECISIONS)}")


def _verify_iam(data: dict[str, Any]) -> None:
    decision = iam.run(data).decision
    if "expected" in data and decision != data["expected"]:
        raise Problem("expected", f"the engine decides {decision}, not {data['expected']}")


SQS = Kind("sqs", _check_sqs, _verify_sqs)
KINESIS = Kind("kinesis", _check_kinesis, _verify_kinesis)
IAM = Kind("iam", _check_iam, _verify_iam)
DYNAMODB = Kind("dynamodb", _check_dynamodb, _verify_dynamodb)
KINDS = (SQS, KINESIS, IAM, DYNAMODB)
