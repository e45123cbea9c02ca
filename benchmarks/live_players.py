"""Simulated live-quiz players for benchmarks/live_load.py (push mode): asyncio + websockets.

Each player joins over HTTP (the join page, then the form), opens the game's WebSocket and
reacts to what is pushed: when a question arrives it waits a human-like moment and sends an
answer (by letter, as the page does). It records when each question reached it, the latency
and status of each answer, and every disconnect. One process drives thousands of players;
cookies are kept per player by hand. Only the standard library and ``websockets`` (which the
app's ASGI server already needs) are used, so the benchmark needs no extra install.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, WebSocketException

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LETTER = re.compile(r'name="choice" value="([A-Z])"')
QUESTION = re.compile(r'data-question="(\d+)"')
STATE = re.compile(r'data-state="(\w+)"')


@dataclass
class Results:
    received: dict = field(default_factory=dict)  # (state, question) -> [monotonic times]
    answers: list = field(default_factory=list)  # (nickname, question, status, seconds)
    join_errors: int = 0
    socket_errors: int = 0
    reconnects: int = 0
    finished: int = 0


class Http:
    """A minimal HTTP/1.1 client: one request per call, cookies kept, redirects not followed."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.base, self.host, self.port = base, parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data=None, headers=None, timeout: float = 60):
        """(status, headers, body text) of one request; ``data`` is sent as a form."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text


HTTP_THREADS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="player-http")


async def in_thread(function, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(
        HTTP_THREADS, lambda: function(*args, **kwargs)
    )


class Player:
    def __init__(self, game, number: int):
        self.game = game
        self.nickname = f"p{number}"
        self.http = Http(game.base)
        self.answered: set[int] = set()
        self.seen: set[tuple[str, int]] = set()
        self.connected = asyncio.Event()
        self.done = asyncio.Event()
        self.socket = None
        self.pending: dict[int, float] = {}  # question -> when its answer left (over the socket)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())

    def _join(self) -> bool:
        code = self.game.code
        _status, _headers, text = self.http.request("GET", "/live/join/")
        form = {"csrfmiddlewaretoken": TOKEN.search(text).group(1), "code": code,
                "nickname": self.nickname}  # fmt: skip
        status, _headers, _text = self.http.request(
            "POST", "/live/join/", data=form, headers={"Referer": f"{self.game.base}/live/join/"}
        )
        return status == 303 and f"live_{code}" in self.http.cookies

    async def join(self) -> bool:
        try:
            joined = await in_thread(self._join)
        except (OSError, http.client.HTTPException, AttributeError):
            joined = False
        if not joined:
            self.game.results.join_errors += 1
        return joined

    async def play(self) -> None:
        """Stay connected until the podium; reconnect (and resume) if the socket drops."""
        game = self.game
        url = f"{game.ws_base}/live/ws/play/{game.code}/?lang=en"
        while not self.done.is_set():
            try:
                async with connect(
                    url, additional_headers={"Cookie": self.cookie_header(), "Origin": game.base},
                    max_size=None, ping_interval=None, compression=None, open_timeout=60,
                ) as socket:  # fmt: skip
                    self.socket = socket
                    self.connected.set()
                    async for message in socket:
                        self.on_message(json.loads(message))
                        if self.done.is_set():
                            return
                if not self.done.is_set():
                    game.results.socket_errors += 1  # closed by the server
            except (TimeoutError, OSError, InvalidHandshake, WebSocketException):
                game.results.socket_errors += 1
            if not self.done.is_set():
                game.results.reconnects += 1
                await asyncio.sleep(0.5 + random.random())

    def on_message(self, message: dict) -> None:
        kind = message.get("type")
        if kind in ("answered", "answer-error"):
            sent = self.pending.pop(message.get("question"), None)
            if sent is not None:
                status = 200 if kind == "answered" else message.get("status", 0)
                self.game.results.answers.append(
                    (self.nickname, message["question"], status, time.monotonic() - sent)
                )
            return
        if kind != "stage":
            return
        now = time.monotonic()
        html = message["html"]
        state = STATE.search(html).group(1)
        number = int(QUESTION.search(html).group(1)) if QUESTION.search(html) else 0
        key = (state, number)
        if key not in self.seen:
            self.seen.add(key)
            self.game.results.received.setdefault(key, []).append(now)
        if state == "finished":
            self.game.results.finished += 1
            self.done.set()
        elif state == "open" and number not in self.answered and not message["me"].get("answered"):
            letters = LETTER.findall(html)
            if letters:
                self.answered.add(number)
                picked = random.sample(letters, 2 if 'type="checkbox"' in html else 1)
                self.game.spawn(self.answer(number, picked))

    async def answer(self, number: int, letters: list[str]) -> None:
        game = self.game
        await asyncio.sleep(random.uniform(*game.think_seconds))
        if game.answer_over == "socket":
            message = json.dumps({"type": "answer", "question": number, "choices": letters})
            self.pending[number] = time.monotonic()
            try:
                await self.socket.send(message)
            except (OSError, WebSocketException, AttributeError):
                self.pending.pop(number, None)
                game.results.answers.append((self.nickname, number, 0, 0.0))
            return
        body = [("question", str(number)), *(("choice", letter) for letter in letters)]
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "HX-Request": "true",
                   "Referer": f"{game.base}/live/play/{game.code}/"}  # fmt: skip
        started = time.monotonic()
        try:
            status, _headers, _text = await in_thread(
                self.http.request, "POST", f"/live/play/{game.code}/answer/", body, headers
            )
        except (OSError, http.client.HTTPException):
            status = 0
        game.results.answers.append((self.nickname, number, status, time.monotonic() - started))


class Game:
    """All the players of one game, on one event loop."""

    def __init__(
        self, base: str, code: str, players: int, think_seconds=(1.0, 8.0), answer_over="socket"
    ):
        self.base = base
        self.ws_base = base.replace("http://", "ws://")
        self.code = code
        self.results = Results()
        self.think_seconds = think_seconds
        self.answer_over = answer_over  # "socket" (as browsers with one do) or "http" (the form)
        self.tasks: set[asyncio.Task] = set()
        self.count = players
        self.players: list[Player] = []
        self.not_connected = 0

    def spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def open(self, joins_per_second: float = 100, connect_seconds: float = 300) -> None:
        """Join everyone, then wait for their sockets; the game goes on with those connected
        (``not_connected`` counts the others, whose sockets keep trying)."""
        joined = []

        async def one(number):
            player = Player(self, number)
            if await player.join():
                joined.append(player)
                self.spawn(player.play())

        starts = []
        for number in range(1, self.count + 1):
            starts.append(asyncio.get_running_loop().create_task(one(number)))
            await asyncio.sleep(1 / joins_per_second)
        await asyncio.gather(*starts)
        waits = [asyncio.ensure_future(p.connected.wait()) for p in joined]
        if waits:
            _done, pending = await asyncio.wait(waits, timeout=connect_seconds)
            for wait in pending:
                wait.cancel()
        self.players = [p for p in joined if p.connected.is_set()]
        self.not_connected = len(joined) - len(self.players)

    async def close(self) -> None:
        for player in self.players:
            player.done.set()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
