"""Locust players for benchmarks/live_load.py: join with a code, poll every second, answer.

Started by live_load.py with LIVE_CODE (the join code) and LIVE_ANSWER_LOG (a file where each
answer the server accepted with a 2xx is written, one JSON line, so the database can be
checked against it). Each user stops when the poll answers 286 (the quiz finished).
"""

import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

CODE = os.environ["LIVE_CODE"]
LOG_PATH = os.environ["LIVE_ANSWER_LOG"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = re.compile(r'id="answer-form-(\d+)"')
CHOICE = re.compile(r'name="choice" value="([A-Z])"')
numbers = itertools.count(1)
log = open(LOG_PATH, "a", buffering=1)  # noqa: SIM115 (one line per write, for the process's life)


def record(**fields):
    log.write(json.dumps(fields) + "\n")


class Player(FastHttpUser):
    wait_time = constant(1)  # one poll a second

    def on_start(self):
        self.nickname = f"p{next(numbers)}"
        self.etag = None
        self.done: set[int] = set()
        self.plan = None  # (question number, [choice ids], when to send)
        page = self.client.get("/live/join/", name="join page")
        self.csrf = TOKEN.search(page.text).group(1)
        with self.client.post(
            "/live/join/",
            data=urlencode(
                {"csrfmiddlewaretoken": self.csrf, "code": CODE, "nickname": self.nickname}
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            name="join",
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"join answered {response.status_code}")
                record(kind="error", name="join", status=response.status_code)
                raise StopUser()

    def _poll(self):
        headers = {"HX-Request": "true"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        with self.client.get(
            f"/live/play/{CODE}/", headers=headers, name="poll", catch_response=True
        ) as response:
            status = response.status_code
            if status in (200, 286, 304):
                response.success()
            else:
                response.failure(f"poll answered {status}")
                record(kind="error", name="poll", status=status)
                return
            if status == 286:
                raise StopUser()
            if status == 200:
                self.etag = response.headers.get("ETag")
                form = FORM.search(response.text)
                if form and int(form.group(1)) not in self.done and self.plan is None:
                    number = int(form.group(1))
                    choices = CHOICE.findall(response.text)
                    picked = random.sample(choices, 2 if 'type="checkbox"' in response.text else 1)
                    self.plan = (number, picked, time.monotonic() + random.uniform(0.1, 4.0))

    def _answer(self, number, choices, attempt=1):
        body = urlencode([("question", number), *(("choice", c) for c in choices)])
        headers = {
            "HX-Request": "true",
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self.client.post(
            f"/live/play/{CODE}/answer/",
            data=body,
            headers=headers,
            name="answer",
            catch_response=True,
        ) as response:
            status = response.status_code
            if 200 <= status < 300:
                response.success()
                record(kind="accepted", nickname=self.nickname, question=number, status=status)
            elif status == 409:
                # "already answered" after a retry whose first try was lost with a killed worker,
                # or "too late": no 2xx, so the check does not count it as accepted.
                response.success()
                record(kind="refused", nickname=self.nickname, question=number, status=status)
            else:
                response.failure(f"answer answered {status}")
                record(
                    kind="error",
                    name="answer",
                    nickname=self.nickname,
                    question=number,
                    status=status,
                )
                if status == 0 and attempt == 1:  # connection reset (a killed worker): retry once
                    self._answer(number, choices, attempt=2)

    @property
    def due(self):
        return self.plan is not None and time.monotonic() >= self.plan[2]

    def on_tick(self):
        if self.due:
            number, choices, _when = self.plan
            self.plan = None
            self.done.add(number)
            self._answer(number, choices)

    @task
    def play(self):
        self.on_tick()
        self._poll()
        self.on_tick()
