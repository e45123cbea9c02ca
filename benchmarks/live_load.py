"""Load and reliability of live quizzes: thousands of players, 10 questions, PostgreSQL.

    .venv/bin/python benchmarks/live_load.py                      # push: 2,000 players
    .venv/bin/python benchmarks/live_load.py --players 500
    .venv/bin/python benchmarks/live_load.py --mode poll --players 200 --runs normal kill

Creates (and drops afterwards) the database studyapp_bench on the local PostgreSQL (or the one
named by BENCH_DATABASE_URL; Redis: BENCH_REDIS_URL, default db 14) and serves the app on
127.0.0.1 (DEBUG off). This script is the host: it creates the quiz over HTTP,
starts it and moves on when everyone has the answer. Afterwards it checks the database: every
answer the server accepted with a 2xx is stored exactly once, every score is the sum of its
answers' points, no 5xx.

push (default): `uvicorn studyapp.asgi --workers 2` with the Redis pub/sub channel layer, so
a state change made on one worker reaches the players of both. The players are asyncio
clients (benchmarks/live_players.py): each joins, opens the game's WebSocket, and answers
each question 1 to 8 seconds after it arrives, over the socket as a browser does (or with
--answers http, as the form's POST). Prints the answer latency (p50/p95/p99), the
time from the host's "next question" to the last player receiving it, the app server's CPU
per player, lost or double-counted answers, and how many database sessions the servers opened
(persistent connections: a handful, not one per request). Targets: p95 answer under 250 ms,
every player has the question within 1 s, nothing lost.

poll: the fallback and the old architecture's load: `gunicorn studyapp.wsgi -w 2` and locust
(benchmarks/live_locustfile.py), every player polling once a second; the "kill" run SIGKILLs
one gunicorn worker in the middle of question 5. Everything is bounded in time and only
talks to 127.0.0.1.
"""

import argparse
import asyncio
import collections
import csv
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from live_players import Http

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The database is dropped and created again: a name of its own, never the app's DATABASE_URL.
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/studyapp_bench"
)
DB_NAME = DATABASE_URL.rsplit("/", 1)[1]
PG_ADMIN = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
HOST_USER, HOST_PASSWORD = "bench-host", "bench-host-password-123"
QUESTIONS = 10
TIME_LIMIT = 20
REVEAL_SECONDS = 2
KILL_AT_QUESTION = 5
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
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
        REDIS_URL=REDIS_URL,
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
            if Http(f"http://127.0.0.1:{port}").request("GET", "/live/join/", timeout=2)[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def start_uvicorn(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "studyapp.asgi:application", "--workers", "2",
         "--host", "127.0.0.1", "--port", str(port), "--ws", "websockets-sansio",
         "--ws-per-message-deflate", "false", "--no-access-log", "--log-level", "warning",
         "--lifespan", "off", "--backlog", "4096", "--timeout-graceful-shutdown", "5"],
        env=env, cwd=ROOT, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            ready = Http(f"http://127.0.0.1:{port}").request("GET", "/live/join/", timeout=2)[0]
            if ready == 200 and len(worker_pids(process.pid)) >= 2:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"uvicorn did not start; see {log_path}")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def db_sessions() -> int:
    """Connections ever opened to the benchmark's database (PostgreSQL 14+)."""
    return db("SELECT sessions FROM pg_stat_database WHERE datname = %s", (DB_NAME,))[0][0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


class Host:
    """The instructor's browser, as plain HTTP: log in, create the quiz, press the buttons."""

    def __init__(self, base: str):
        self.base = base
        self.http = Http(base)
        _status, _headers, page = self.http.request("GET", "/accounts/login/", timeout=10)
        status, _headers, _text = self.http.request(
            "POST", "/accounts/login/",
            data={"csrfmiddlewaretoken": TOKEN.search(page).group(1), "username": HOST_USER,
                  "password": HOST_PASSWORD},
            headers={"Referer": f"{base}/accounts/login/"}, timeout=10,
        )  # fmt: skip
        if status != 302:
            raise SystemExit(f"the host could not log in ({status})")

    def create(self, title: str, question_ids: list[int]) -> tuple[int, str]:
        _status, _headers, page = self.http.request("GET", "/live/new/", timeout=30)
        _status, headers, _text = self.http.request(
            "POST", "/live/new/",
            data={"csrfmiddlewaretoken": TOKEN.search(page).group(1), "title": title,
                  "source": "picked", "questions": question_ids, "count": len(question_ids),
                  "time_limit": TIME_LIMIT, "streak_bonus": "on"},
            headers={"Referer": f"{self.base}/live/new/"}, timeout=30,
        )  # fmt: skip
        session_id = int(headers["Location"].rstrip("/").split("/")[-1])
        host_page = self.http.request("GET", f"/live/host/{session_id}/", timeout=10)[2]
        code = re.search(r"data-join-code>(\d{6})<", host_page).group(1)
        return session_id, code

    def press(self, session_id: int, action: str, timeout: float = 10) -> int:
        return self.http.request(
            "POST", f"/live/host/{session_id}/{action}/",
            headers={"X-CSRFToken": self.http.cookies["csrftoken"], "HX-Request": "true",
                     "Referer": f"{self.base}/live/host/{session_id}/"},
            timeout=timeout,
        )[0]  # fmt: skip

    def poll(self, session_id: int) -> int:
        return self.http.request(
            "GET", f"/live/host/{session_id}/", headers={"HX-Request": "true"}, timeout=10
        )[0]


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


async def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def push_game(
    base: str, players: int, server: subprocess.Popen, join_rate: float, answer_over: str
) -> dict:
    from live_players import Game

    host = await asyncio.to_thread(Host, base)
    question_ids = [row[0] for row in db(
        "SELECT id FROM quizzes_question WHERE NOT retired AND owner_id IS NULL "
        "AND kind = 'single' ORDER BY id LIMIT %s", (QUESTIONS,)
    )]  # fmt: skip
    session_id, code = await asyncio.to_thread(host.create, "bench push", question_ids)
    pids = [server.pid, *worker_pids(server.pid)]
    game = Game(base, code, players, answer_over=answer_over)
    cpu_at_start, started = cpu_seconds(pids), time.monotonic()
    await game.open(joins_per_second=join_rate)
    joined_in = time.monotonic() - started
    cpu_after_joins, sessions_before = cpu_seconds(pids), db_sessions()
    everyone = len(game.players)
    received = game.results.received
    pressed: dict[tuple[str, int], float] = {}
    host_statuses, host_seconds = [], []

    async def press(action: str) -> None:
        # The host's button: its reply comes after the change is published to every server.
        at = time.monotonic()
        host_statuses.append(await asyncio.to_thread(host.press, session_id, action, 120))
        host_seconds.append(time.monotonic() - at)

    try:
        pressed[("open", 1)] = time.monotonic()
        await press("start")
        for number in range(1, QUESTIONS + 1):
            await _wait(lambda n=number: len(received.get(("closed", n), [])) >= everyone,
                        TIME_LIMIT + 15)  # fmt: skip
            await asyncio.sleep(REVEAL_SECONDS)
            key = ("open", number + 1) if number < QUESTIONS else ("finished", QUESTIONS)
            pressed[key] = time.monotonic()
            await press("next")
        await _wait(lambda: game.results.finished >= everyone, 15)
        await asyncio.sleep(1)  # answers still in flight (none expected)
    finally:
        played_cpu = cpu_seconds(pids) - cpu_after_joins
        played_seconds = time.monotonic() - started - joined_in
        await game.close()
    fanout = {}
    for key, at in pressed.items():
        times = [t - at for t in received.get(key, [])]
        fanout[f"{key[0]} {key[1]}"] = {
            "players reached": len(times),
            "p50 ms": round(1000 * percentile(times, 0.5)) if times else None,
            "last ms": round(1000 * max(times)) if times else None,
        }
    return {
        "session": session_id,
        "players joined": everyone,
        "players whose socket did not open in 300 s (left out)": game.not_connected,
        "join errors": game.results.join_errors,
        "joins took s": round(joined_in, 1),
        "host actions": collections.Counter(host_statuses),
        "host action ms p50/max": [
            round(1000 * percentile(host_seconds, 0.5)),
            round(1000 * max(host_seconds, default=float("nan"))),
        ],
        "answers": game.results.answers,
        "fanout": fanout,
        "socket errors": game.results.socket_errors,
        "reconnects": game.results.reconnects,
        "server cpu s (joins)": round(cpu_after_joins - cpu_at_start, 1),
        "server cpu s (game)": round(played_cpu, 1),
        "game seconds": round(played_seconds, 1),
        "db sessions opened during the game": db_sessions() - sessions_before,
    }


def push_run(
    base: str, server: subprocess.Popen, players: int, join_rate: float, answer_over: str
) -> dict:
    result = asyncio.run(push_game(base, players, server, join_rate, answer_over))
    answers = result.pop("answers")
    session_id = result["session"]
    accepted = collections.Counter((n, q) for n, q, status, _s in answers if 200 <= status < 300)
    latencies = [seconds for _n, _q, status, seconds in answers if 200 <= status < 300]
    stored = collections.Counter(
        (nickname, position + 1)
        for nickname, position in db(
            "SELECT p.nickname, q.position FROM live_answer a JOIN live_player p ON p.id = a.player_id "
            "JOIN live_livequestion q ON q.id = a.item_id WHERE p.session_id = %s",
            (session_id,),
        )
    )
    miscounted = db(
        "SELECT count(*) FROM live_player p WHERE p.session_id = %s AND p.score <> "
        "COALESCE((SELECT sum(a.points) FROM live_answer a WHERE a.player_id = p.id), 0)",
        (session_id,),
    )[0][0]
    statuses = collections.Counter(status for _n, _q, status, _s in answers)
    lasts = [f["last ms"] for k, f in result["fanout"].items() if f["last ms"] is not None]
    everyone = result["players joined"]
    return {
        "mode": "push",
        "answers sent over": answer_over,
        **result,
        "answers sent": len(answers),
        "answer statuses": dict(statuses),
        "answers accepted (2xx)": sum(accepted.values()),
        "answers stored": sum(stored.values()),
        "lost": sum(1 for key in accepted if stored[key] == 0),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "miscounted scores": miscounted,
        "5xx": sum(n for status, n in statuses.items() if status >= 500),
        "answer ms p50/p95/p99": [
            round(1000 * percentile(latencies, q)) for q in (0.5, 0.95, 0.99)
        ],
        "question reached every player (all questions)": all(
            f["players reached"] >= everyone for k, f in result["fanout"].items()
        ),
        "next -> last player ms (worst question)": max(lasts) if lasts else None,
        "server cpu ms per player (whole game)": round(
            1000 * result["server cpu s (game)"] / max(everyone, 1), 2
        ),
        "server cpu ms per player per question": round(
            1000 * result["server cpu s (game)"] / max(everyone, 1) / QUESTIONS, 2
        ),
        "load average at the end (1, 5 min)": [round(x, 1) for x in os.getloadavg()[:2]],
    }


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
    parser.add_argument("--mode", choices=["push", "poll"], default="push")
    parser.add_argument("--players", type=int, help="default: 2000 (push), 200 (poll)")
    parser.add_argument("--runs", nargs="+", default=["normal", "kill"], choices=["normal", "kill"],
                        help="poll mode only")  # fmt: skip
    parser.add_argument("--join-rate", type=float, default=100, help="push: joins per second")
    parser.add_argument(
        "--answers", choices=["socket", "http"], default="socket",
        help="push: send answers over the socket (as browsers do) or as the form's POST",
    )  # fmt: skip
    parser.add_argument(
        "--keep-db", action="store_true", help="do not drop the benchmark's database at the end"
    )
    args = parser.parse_args()
    players = args.players or (2000 if args.mode == "push" else 200)
    # Thousands of sockets: the server and this script each hold one per player.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    random.seed(18)
    results = []
    with tempfile.TemporaryDirectory(prefix="live-bench-") as tmp:
        workdir = Path(tmp)
        env = server_env(workdir)
        print("preparing the database and static files ...", flush=True)
        prepare(workdir, env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        if args.mode == "push":
            server = start_uvicorn(env, port, workdir / "uvicorn.log")
        else:
            server = start_gunicorn(env, port, workdir / "gunicorn.log")
        try:
            if args.mode == "push":
                print(f"push: {players} players, {QUESTIONS} questions ...", flush=True)
                results.append(push_run(base, server, players, args.join_rate, args.answers))
                print(json.dumps(results[-1], indent=2), flush=True)
            else:
                for kind in args.runs:
                    print(f"run {kind}: {players} players, {QUESTIONS} questions ...", flush=True)
                    results.append(run(kind, base, server, players, workdir, env))
                    print(json.dumps(results[-1], indent=2), flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            if args.mode == "push":
                print((workdir / "uvicorn.log").read_text()[-3000:], flush=True)
            if not args.keep_db:
                admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    ok = True
    for result in results:
        good = result["lost"] == 0 and result["duplicated"] == 0 and result["5xx"] == 0
        ok = ok and good
        if result.get("mode") == "push":
            p50, p95, p99 = result["answer ms p50/p95/p99"]
            print(
                f"push: {result['players joined']} players, accepted {result['answers accepted (2xx)']}, "
                f"stored {result['answers stored']}, lost {result['lost']}, duplicated "
                f"{result['duplicated']}, miscounted scores "
                f"{result['miscounted scores']}, 5xx {result['5xx']}; "
                f"answer p50/p95/p99 {p50}/{p95}/{p99} ms (target p95 < 250); next -> last "
                f"player {result['next -> last player ms (worst question)']} ms (target < 1000); "
                f"server CPU {result['server cpu ms per player (whole game)']} ms per player "
                f"per game; db sessions opened during the game "
                f"{result['db sessions opened during the game']}"
            )
            ok = ok and result["miscounted scores"] == 0
            continue
        fast = all(ms < 250 for ms in result["p95 ms"].values())
        print(
            f"{result['run']:>6}: accepted {result['answers accepted (2xx)']}, stored {result['answers stored']}, "
            f"lost {result['lost']}, duplicated {result['duplicated']}, 5xx {result['5xx']}, "
            f"p95 poll {result['p95 ms'].get('poll')} ms, p95 answer {result['p95 ms'].get('answer')} ms"
            f"{'' if fast else ' (over the 250 ms target)'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
