"""The simulators' shape: one package per simulator, the engines' public API only, small files."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SIMS = Path(__file__).resolve().parents[2] / "studyapp" / "sims"
ENGINES = ("iam", "sqs", "kinesis", "dynamodb")
SHARED_ENGINE_MODULES = ("studyapp.engines.clock", "studyapp.engines.errors")
MAX_LINES = 420  # "no sims file over ~400 lines"


def sims_modules() -> list[Path]:
    return sorted(p for p in SIMS.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", sims_modules(), ids=lambda p: str(p.relative_to(SIMS)))
def test_sims_use_only_what_each_engine_exports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [
                alias.name for alias in node.names if alias.name.startswith("studyapp.engines")
            ]
            assert not names, f"{path.name}: import the engine package's names, not {names}"
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
            "studyapp.engines"
        ):
            continue
        module = node.module
        if module in SHARED_ENGINE_MODULES:
            continue
        if module == "studyapp.engines":
            assert {alias.name for alias in node.names} <= set(ENGINES), path.name
            continue
        engine = module.removeprefix("studyapp.engines.")
        assert engine in ENGINES, f"{path.name}: {module} is inside an engine, not its API"
        exported = set(importlib.import_module(module).__all__)
        for alias in node.names:
            assert alias.name in exported, f"{path.name}: {module}.{alias.name} is not exported"


@pytest.mark.parametrize("path", sims_modules(), ids=lambda p: str(p.relative_to(SIMS)))
def test_no_private_name_of_another_module(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = ast.unparse(node.value)
            public = node.attr.startswith("__") or node.attr == "_meta"  # Django's Options API
            assert owner in ("self", "cls") or public, (
                f"{path.name}:{node.lineno}: {owner}.{node.attr}"
            )
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                assert not alias.name.startswith("_"), f"{path.name}: imports {alias.name}"


@pytest.mark.parametrize("path", sims_modules(), ids=lambda p: str(p.relative_to(SIMS)))
def test_no_sims_file_is_long(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("simulator", ["sqs", "kinesis", "iam", "dynamodb"])
def test_every_simulator_has_the_same_four_parts(simulator):
    for part in ("forms", "service", "board", "views"):
        assert (SIMS / simulator / f"{part}.py").is_file(), f"{simulator}/{part}.py"
    views = importlib.import_module(f"studyapp.sims.{simulator}.views")
    assert callable(views.page) and callable(views.action)
