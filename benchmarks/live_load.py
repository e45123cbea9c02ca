"""Load and reliability of live quizzes: 200 players, 10 questions, PostgreSQL, 2 gunicorn workers.

    .venv/bin/python benchmarks/live_load.py            # both runs: normal, then a worker killed
    .venv/bin/python benchmarks/live_load.py --players 50 --runs normal

Creates (and drops afterwards) the database studyapp_bench on the local PostgreSQL, serves the
app with `gunicorn studyapp.wsgi -w 2` on 127.0.0.1 (DEBUG off), and runs locust headless
(benchmarks/live_locustfile.py): every player joins, polls its screen once a second and
answers each question within its time limit. This script is the host: it creates the quiz
over HTTP, starts it and moves on when everyone answered. Afterwards it checks the database:
every answer the server accepted with a 2xx is stored exactly once, no 5xx; and prints the
p95 latency of the poll and answer requests (target: under 200 ms).

The "kill" run SIGKILLs one gunicorn worker in the middle of question 5; the master starts a
new one. Everything is bounded in time and only talks to 127.0.0.1.
"""

import argparse
import collections
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "studyapp_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
HOST_USER, HOST_PASSWORD = "bench-host", "bench-host-password-123"
QUESTIONS = 10
TIME_LIMIT = 20
REVEAL_SECONDS = 2
KILL_AT_QUESTION = 5
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_sql(statement: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(statement)


def server_env(settings_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DATABASE_URL,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="live_bench_settings",
        PYTHONPATH=os.pathsep.join([str(settings_dir), str(ROOT)]),
        LOG_LEVEL="ERROR",
    )
    return env


def prepare(settings_dir: Path, env: dict) -> None:
    # Static files go to a temporary STATIC_ROOT, not the repository's staticfiles/.
    (settings_dir / "live_bench_settings.py").write_text(
        f"from studyapp.settings import *  # noqa: F403\nSTATIC_ROOT = {str(settings_dir / 'static')!r}\n"
    )
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    manage = [str(VENV_BIN / "python"), str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v", "0"], ["load_content"],
                    ["collectstatic", "--noinput", "-v", "0"]):  # fmt: skip
        subprocess.run(
            [*manage, *command],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            timeout=300,
        )
    script = (
        "from django.contrib.auth.models import Group, User;"
        f"u = User.objects.create_user({HOST_USER!r}, password={HOST_PASSWORD!r});"
        "u.groups.add(Group.objects.get_or_create(name='instructor')[0])"
    )
    subprocess.run([*manage, "shell", "-c", script], env=env, check=True, cwd=ROOT, timeout=60)


def start_gunicorn(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "studyapp.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--timeout", "30", "--graceful-timeout", "5"],
        env=env, cwd=ROOT, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/live/join/", timeout=2).status_code == 200:
                return process
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


class Host:
    """The instructor's browser, as plain HTTP: log in, create the quiz, press the buttons."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        page = self.http.get(f"{base}/accounts/login/", timeout=10)
        self.http.post(
            f"{base}/accounts/login/",
            data={"csrfmiddlewaretoken": TOKEN.search(page.text).group(1), "username": HOST_USER,
                  "password": HOST_PASSWORD},
            timeout=10,
        ).raise_for_status()  # fmt: skip

    def create(self, title: str, question_ids: list[int]) -> tuple[int, str]:
        page = self.http.get(f"{self.base}/live/new/", timeout=30)
        response = self.http.post(
            f"{self.base}/live/new/",
            data={"csrfmiddlewaretoken": TOKEN.search(page.text).group(1), "title": title,
                  "source": "picked", "questions": question_ids, "count": len(question_ids),
                  "time_limit": TIME_LIMIT, "streak_bonus": "on"},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        session_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        host_page = self.http.get(f"{self.base}/live/host/{session_id}/", timeout=10).text
        code = re.search(r"data-join-code>(\d{6})<", host_page).group(1)
        return session_id, code

    def press(self, session_id: int, action: str) -> int:
        token = self.http.cookies["csrftoken"]
        response = self.http.post(
            f"{self.base}/live/host/{session_id}/{action}/",
            headers={"X-CSRFToken": token, "HX-Request": "true"},
            timeout=10,
        )
        return response.status_code

    def poll(self, session_id: int) -> int:
        return self.http.get(
            f"{self.base}/live/host/{session_id}/", headers={"HX-Request": "true"}, timeout=10
        ).status_code


def db(query: str, params=()) -> list[tuple]:
    with psycopg.connect(DATABASE_URL) as connection:
        return connection.execute(query, params).fetchall()


def run(
    kind: str, base: str, gunicorn: subprocess.Popen, players: int, workdir: Path, env: dict
) -> dict:
    host = Host(base)
    question_ids = [row[0] for row in db(
        "SELECT id FROM quizzes_question WHERE NOT retired ORDER BY id LIMIT %s", (QUESTIONS,)
    )]  # fmt: skip
    session_id, code = host.create(f"bench {kind}", question_ids)
    answer_log = workdir / f"answers-{kind}.jsonl"
    answer_log.write_text("")
    csv_prefix = workdir / f"locust-{kind}"
    locust_env = dict(env, LIVE_CODE=code, LIVE_ANSWER_LOG=str(answer_log))
    locust = subprocess.Popen(
        [str(VENV_BIN / "locust"), "-f", str(ROOT / "benchmarks" / "live_locustfile.py"), "--headless",
         "-u", str(players), "-r", "50", "--run-time", "420s", "--stop-timeout", "5",
         "-H", base, "--csv", str(csv_prefix), "--only-summary", "--loglevel", "ERROR"],
        env=locust_env, cwd=ROOT, stdout=(workdir / f"locust-{kind}.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    started = time.monotonic()
    killed = None
    try:
        while (
            db("SELECT count(*) FROM live_player WHERE session_id = %s", (session_id,))[0][0]
            < players
        ):
            if time.monotonic() - started > 60:
                raise SystemExit("players did not all join within 60 s")
            time.sleep(0.5)
        assert host.press(session_id, "start") == 200
        for number in range(1, QUESTIONS + 1):
            opened = time.monotonic()
            while True:
                host.poll(session_id)
                if (
                    kind == "kill"
                    and number == KILL_AT_QUESTION
                    and killed is None
                    and time.monotonic() - opened > 1.5
                ):
                    victim = worker_pids(gunicorn.pid)[0]
                    os.kill(victim, signal.SIGKILL)
                    killed = {
                        "pid": victim,
                        "question": number,
                        "at_s": round(time.monotonic() - opened, 1),
                    }
                state = db("SELECT state FROM live_livesession WHERE id = %s", (session_id,))[0][0]
                if state != "open":
                    break
                if time.monotonic() - opened > TIME_LIMIT + 10:
                    raise SystemExit(f"question {number} did not close")
                time.sleep(0.25)
            if killed and killed["question"] == number:
                killed["workers_after"] = len(worker_pids(gunicorn.pid))
            time.sleep(REVEAL_SECONDS)
            assert host.press(session_id, "next") == 200
        time.sleep(3)  # the players' next poll sees the end (286) and they stop
    finally:
        if locust.poll() is None:
            locust.send_signal(signal.SIGTERM)
            locust.wait(timeout=30)
    return check(kind, session_id, answer_log, csv_prefix, killed, time.monotonic() - started)


def check(kind, session_id, answer_log, csv_prefix, killed, seconds) -> dict:
    lines = [json.loads(line) for line in answer_log.read_text().splitlines() if line]
    accepted = collections.Counter(
        (entry["nickname"], entry["question"]) for entry in lines if entry["kind"] == "accepted"
    )
    refused = sum(1 for entry in lines if entry["kind"] == "refused")
    errors = collections.Counter(
        (entry["name"], entry["status"]) for entry in lines if entry["kind"] == "error"
    )
    stored = collections.Counter(
        (nickname, position + 1)
        for nickname, position in db(
            "SELECT p.nickname, q.position FROM live_answer a JOIN live_player p ON p.id = a.player_id "
            "JOIN live_livequestion q ON q.id = a.item_id WHERE p.session_id = %s",
            (session_id,),
        )
    )
    lost = [key for key in accepted if stored[key] == 0]
    duplicated = [key for key, n in stored.items() if n > 1]
    with Path(f"{csv_prefix}_stats.csv").open() as stats_file:
        stats = {row["Name"]: row for row in csv.DictReader(stats_file)}
    server_errors = sum(n for (name, status), n in errors.items() if status >= 500)
    players = db(
        "SELECT count(*), sum(score) FROM live_player WHERE session_id = %s", (session_id,)
    )[0]
    return {
        "run": kind,
        "players": players[0],
        "answers accepted (2xx)": sum(accepted.values()),
        "answers stored": sum(stored.values()),
        "stored but not acknowledged": sum(1 for key in stored if key not in accepted),
        "answers refused (409)": refused,
        "lost": len(lost),
        "duplicated": len(duplicated),
        "5xx": server_errors,
        "other errors": dict(
            (f"{name} {status or 'connection'}", n)
            for (name, status), n in errors.items()
            if status < 500
        ),
        "requests": {
            name: int(stats[name]["Request Count"])
            for name in ("poll", "answer", "join")
            if name in stats
        },
        "p95 ms": {
            name: int(float(stats[name]["95%"])) for name in ("poll", "answer") if name in stats
        },
        "p50 ms": {
            name: int(float(stats[name]["50%"])) for name in ("poll", "answer") if name in stats
        },
        "max ms": {
            name: int(float(stats[name]["Max Response Time"]))
            for name in ("poll", "answer")
            if name in stats
        },
        "killed worker": killed,
        "seconds": round(seconds, 1),
        # Other work on the machine shares its CPUs with the server and locust.
        "load average at the end (1, 5 min)": [round(x, 1) for x in os.getloadavg()[:2]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=200)
    parser.add_argument("--runs", nargs="+", default=["normal", "kill"], choices=["normal", "kill"])
    parser.add_argument(
        "--keep-db", action="store_true", help="do not drop studyapp_bench at the end"
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="live-bench-") as tmp:
        workdir = Path(tmp)
        env = server_env(workdir)
        print("preparing the database and static files ...", flush=True)
        prepare(workdir, env)
        port = free_port()
        gunicorn = start_gunicorn(env, port, workdir / "gunicorn.log")
        try:
            for kind in args.runs:
                print(f"run {kind}: {args.players} players, {QUESTIONS} questions ...", flush=True)
                results.append(
                    run(kind, f"http://127.0.0.1:{port}", gunicorn, args.players, workdir, env)
                )
                print(json.dumps(results[-1], indent=2), flush=True)
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
            if not args.keep_db:
                admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    ok = True
    for result in results:
        good = result["lost"] == 0 and result["duplicated"] == 0 and result["5xx"] == 0
        fast = all(ms < 200 for ms in result["p95 ms"].values())
        ok = ok and good
        print(
            f"{result['run']:>6}: accepted {result['answers accepted (2xx)']}, stored {result['answers stored']}, "
            f"lost {result['lost']}, duplicated {result['duplicated']}, 5xx {result['5xx']}, "
            f"p95 poll {result['p95 ms'].get('poll')} ms, p95 answer {result['p95 ms'].get('answer')} ms"
            f"{'' if fast else ' (over the 200 ms target)'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
