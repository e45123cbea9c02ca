"""Settings come from the environment; production refuses unsafe defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "study.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {**PRODUCTION}
    env.pop("SECRET_KEY")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("sqlite:///tmp/x.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://u:p@db.example.com:5432/study", "django.db.backends.postgresql"),
    ],
)
def test_database_url_selects_the_database(url, engine):
    code = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default']['ENGINE']))"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='studyapp.settings'; {code}",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == engine, result.stderr


def test_invalid_boolean_is_refused():
    result = run_manage("check", env={"DEBUG": "maybe"})
    assert "DEBUG must be a boolean" in result.stderr


def test_a_sqlite_file_runs_in_wal_mode_with_the_chosen_sync(tmp_path):
    database = tmp_path / "db.sqlite3"
    code = (
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); "
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
        "cursor.execute('PRAGMA synchronous').fetchone()[0])"
    )

    def pragmas(**env):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "studyapp.settings",
                "DEBUG": "1",
                "DATABASE_URL": f"sqlite:///{database}",
                **env,
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout.split(), result.stderr

    assert pragmas()[0] == ["wal", "1"]  # synchronous: 1 is NORMAL, 2 FULL
    assert pragmas(SQLITE_SYNCHRONOUS="full")[0] == ["wal", "2"]
    assert (
        "SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA" in pragmas(SQLITE_SYNCHRONOUS="off")[1]
    )
