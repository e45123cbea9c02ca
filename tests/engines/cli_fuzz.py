"""What the engines' command-line robustness tests share: running ``main`` in-process or as
``python -m``, JSON values of every kind, and scenarios made of actions with random parameters.

Each engine's test module gives its own actions, parameter names, setup steps and the strings
that reach its deeper code paths (queue names, shard ids, sequence numbers)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_main(main: Callable[[list[str]], int], text: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``main(["run"])`` reading ``text`` on standard input."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch("sys.stdin", io.StringIO(text)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(["run"])
    return code, out.getvalue(), err.getvalue()


def run_module(module: str, *args: str, text: str | None = None) -> subprocess.CompletedProcess:
    """``python -m MODULE run ARGS…`` as a learner runs it, ``text`` on standard input."""
    return subprocess.run(
        [sys.executable, "-m", module, "run", *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def json_values(samples: Sequence[str]) -> st.SearchStrategy:
    """Any JSON value (huge integers, NaN and infinities too), with ``samples`` among the
    strings so that some steps name things that exist."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.integers(min_value=-(10**400), max_value=10**400)
        | st.floats()  # JSON text spells nan and the infinities NaN and Infinity
        | st.text(max_size=8)
        | st.sampled_from(list(samples)),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=12,
    )


def steps(
    actions: Sequence[str], parameters: Sequence[str], values: st.SearchStrategy
) -> st.SearchStrategy:
    """Lists of steps: known actions (and one unknown) with random parameters, or any value."""
    return st.lists(
        st.one_of(
            st.builds(
                lambda action, params: {"Action": action, **params},
                st.sampled_from([*actions, "Nope"]),
                st.dictionaries(st.sampled_from(list(parameters)), values, max_size=5),
            ),
            values,
        ),
        max_size=8,
    )
