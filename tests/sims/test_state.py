"""Simulator state in the database: owners, increments, the row lock, budgets, expiry."""

from __future__ import annotations

import base64
import os
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studyapp.engines.sqs import snapshot
from studyapp.sims import memory, state
from studyapp.sims.kinesis.simulation import KinesisSimulation
from studyapp.sims.models import SimulatorPart, SimulatorState
from studyapp.sims.sqs import service as sqs
from studyapp.sims.sqs import simulation as sqs_simulation
from studyapp.sims.sqs.simulation import SqsSimulation

from .conftest import owner_of_client, stored

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def act(client, action, /, **data):
    return client.post(reverse("sims:sqs-action", args=[action]), data, headers=HTMX)


def queue_names(client) -> list[str]:
    return stored(client, SqsSimulation).engine.queue_names()


def random_text(size: int) -> str:
    """Text that does not compress, as an attacker would send."""
    return base64.b64encode(os.urandom(size))[:size].decode()


# --- owners ----------------------------------------------------------------------------------


def test_looking_stores_nothing_and_acting_stores_the_visitors_state(client):
    assert client.get(reverse("sims:sqs")).status_code == 200
    assert client.get(reverse("sims:kinesis")).status_code == 200
    assert SimulatorState.objects.count() == 0
    assert state.VISITOR_KEY not in client.session
    act(client, "create", name="orders")
    row = SimulatorState.objects.get()
    assert (row.user, row.simulator) == (None, "sqs")
    assert row.visitor == client.session[state.VISITOR_KEY]
    assert row.address == "127.0.0.1"
    assert row.size == len(row.head.encode()) + sum(p.size for p in row.parts.all())


def test_a_learners_state_follows_them_to_another_browser(learner):
    laptop, phone = Client(), Client()
    laptop.force_login(learner)
    phone.force_login(learner)
    act(laptop, "create", name="orders")
    act(phone, "send", queue="orders", body="from the phone")
    assert queue_names(laptop) == ["orders"]
    html = laptop.get(reverse("sims:sqs")).content.decode()
    assert "from the phone" in html
    assert SimulatorState.objects.get().user == learner


def test_two_visitors_and_a_learner_each_have_their_own(client, learner):
    other = Client()
    signed_in = Client()
    signed_in.force_login(learner)
    act(client, "create", name="mine")
    act(other, "create", name="theirs")
    act(signed_in, "create", name="learners")
    assert queue_names(client) == ["mine"]
    assert queue_names(other) == ["theirs"]
    assert queue_names(signed_in) == ["learners"]
    assert SimulatorState.objects.count() == 3


def test_signing_in_keeps_what_the_visitor_did(client, learner):
    act(client, "create", name="before-login")
    client.force_login(learner)
    client.get(reverse("sims:sqs"))
    assert queue_names(client) == ["before-login"]
    row = SimulatorState.objects.get()
    assert (row.user, row.visitor) == (learner, "")
    assert state.VISITOR_KEY not in client.session


def test_signing_in_does_not_replace_the_learners_own_state(client, learner):
    other = Client()
    other.force_login(learner)
    act(other, "create", name="learners")
    act(client, "create", name="visitors")
    client.force_login(learner)
    client.get(reverse("sims:sqs"))
    assert queue_names(client) == ["learners"]
    assert SimulatorState.objects.count() == 1


def test_a_deleted_learner_takes_their_state_along(learner):
    client = Client()
    client.force_login(learner)
    act(client, "create", name="orders")
    learner.delete()
    assert SimulatorState.objects.count() == SimulatorPart.objects.count() == 0


# --- increments ------------------------------------------------------------------------------


def test_an_action_writes_only_the_parts_it_changed(client, django_assert_max_num_queries):
    act(client, "create", name="orders")
    for i in range(0, 3 * sqs_simulation.LOG_LIMIT, 3):
        act(client, "batch", queue="orders", bodies=f"m{i}\nm{i + 1}\nm{i + 2}")
    row = SimulatorState.objects.get()
    before = {p.key: bytes(p.data) for p in row.parts.all()}
    assert len(before) == 4 * sqs_simulation.LOG_LIMIT  # the messages, and the log full
    act(client, "send", queue="orders", body="one more")
    after = {p.key: bytes(p.data) for p in SimulatorState.objects.get().parts.all()}
    changed = {key for key in after if before.get(key) != after[key]}
    gone = set(before) - set(after)
    assert len(changed) == 2  # the new message and the new log entry
    assert len(gone) == 1  # the oldest log entry
    # Session and user, the locked row (the other simulators' sizes with it), the upsert, the
    # oldest log entry's delete, the row's save: none of them depends on how much is stored.
    with django_assert_max_num_queries(8):
        act(client, "send", queue="orders", body="and another")


def test_the_stored_size_follows_the_parts(client):
    act(client, "create", name="orders")
    act(client, "batch", queue="orders", bodies="a\nb\nc")
    act(client, "purge", queue="orders")
    row = SimulatorState.objects.get()
    assert row.size == len(row.head.encode()) + sum(p.size for p in row.parts.all())


def test_the_stored_size_follows_the_parts_whether_loaded_or_remembered(client):
    """A save computes the new size from the part sizes it knows (loaded with the parts, or
    kept in memory with the simulation): it must agree with the rows, either way."""
    act(client, "create", name="orders")
    for round_ in range(3):
        state.forget()  # as another app server: the parts and their sizes come from the rows
        steps = [
            ("batch", {"bodies": f"a{round_}\nb{round_}\n" + "c" * 3000}),
            ("send", {"body": "x" * 500}),  # remembered by this process
            ("receive", {"consumer": "1", "max": "2"}),
        ]
        for action, data in steps:
            assert act(client, action, queue="orders", **data).status_code == 200
    state.forget()
    assert act(client, "purge", queue="orders").status_code == 200
    row = SimulatorState.objects.get()
    assert row.size == len(row.head.encode()) + sum(p.size for p in row.parts.all())


def test_a_process_memory_is_not_trusted_once_another_process_saved(client):
    act(client, "create", name="a")
    remembered = dict(memory.CACHE)  # this process's copy, stamp and all
    state.forget()  # as another app server, which has no copy
    owner = owner_of_client(client)
    with state.edit(owner, SqsSimulation) as opened:
        sqs.call(opened.simulation, {"Action": "CreateQueue", "QueueName": "b"})
    memory.CACHE.clear()
    memory.CACHE.update(remembered)  # back to the first process, with its stale copy
    html = client.get(reverse("sims:sqs")).content.decode()
    assert 'data-queue="a"' in html and 'data-queue="b"' in html


def test_refused_and_invalid_actions_leave_the_stored_state_as_it_was(client, monkeypatch):
    act(client, "create", name="orders")
    row = SimulatorState.objects.get()
    monkeypatch.setattr(sqs_simulation, "MAX_MESSAGES", 0)
    assert act(client, "send", queue="orders", body="A").status_code == 400
    assert act(client, "advance", seconds="nope").status_code == 400
    again = SimulatorState.objects.get()
    assert (again.stamp, again.head, again.size) == (row.stamp, row.head, row.size)


def test_an_invalid_first_action_stores_no_row(client):
    assert act(client, "advance", seconds="nope").status_code == 400
    assert SimulatorState.objects.count() == 0


# --- the row lock ----------------------------------------------------------------------------


def test_two_tabs_keep_each_others_actions(client):
    tab_1, tab_2 = client, Client()
    tab_2.cookies = tab_1.cookies  # the same browser
    act(tab_1, "create", name="orders")
    tab_1.get(reverse("sims:sqs"))
    tab_2.get(reverse("sims:sqs"))
    act(tab_2, "send", queue="orders", body="from tab 2")
    act(tab_1, "send", queue="orders", body="from tab 1")
    queue = snapshot(stored(client, SqsSimulation).engine)["Queues"][0]
    bodies = sorted(m["Body"] for m in queue["Messages"])
    assert bodies == ["from tab 1", "from tab 2"]


def test_an_action_locks_the_owners_row_while_it_runs(client):
    act(client, "create", name="orders")
    owner = owner_of_client(client)
    recorder = _Recorder()
    with connection.execute_wrapper(recorder), state.edit(owner, SqsSimulation):
        pass
    first = recorder.statements[0]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in first
    else:  # SQLite: a write first, which takes the database's write lock
        assert first.startswith("UPDATE")


class _Recorder:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if "sims_simulatorstate" in sql:
            self.statements.append(sql)
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_a_second_app_server_waits_for_the_first_and_sees_its_action(monkeypatch):
    """Two processes (here: threads without the in-process lock) act at once on one owner."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections (PostgreSQL); SQLite: see above")

    @contextmanager
    def no_local_lock(owner, simulator):
        yield

    monkeypatch.setattr(memory, "one_at_a_time", no_local_lock)
    owner = state.Owner(None, "two-servers")
    with state.edit(owner, SqsSimulation) as opened:
        sqs.call(opened.simulation, {"Action": "CreateQueue", "QueueName": "q"})
    state.forget()
    first_holds, order = threading.Event(), []

    def first():
        with state.edit(owner, SqsSimulation) as opened:
            sqs.produce(
                opened.simulation, {"Action": "SendMessage", "QueueName": "q", "MessageBody": "1"}
            )
            first_holds.set()
            time.sleep(0.5)
            order.append("first saves")
        connection.close()

    def second():
        first_holds.wait()
        with state.edit(owner, SqsSimulation) as opened:
            order.append("second runs")
            sqs.produce(
                opened.simulation, {"Action": "SendMessage", "QueueName": "q", "MessageBody": "2"}
            )
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert order == ["first saves", "second runs"]
    state.forget()
    with state.view(owner, SqsSimulation) as simulation:
        assert simulation.engine.totals()["Messages"] == 2


# --- budgets ---------------------------------------------------------------------------------


def test_four_large_messages_from_a_visitor_meet_the_budget(client):
    """Security review: "No login, four 1 MB SQS sends: one session row of 3.8 MB"."""
    act(client, "create", name="orders")
    answers = [act(client, "send", queue="orders", body=random_text(1_000_000)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 400, 400]
    assert "a visitor who is not signed in may keep at most 2.0 MiB" in answers[2].content.decode()
    assert "sign in to keep up to 32.0 MiB" in answers[2].content.decode()
    assert stored(client, SqsSimulation).engine.totals()["Messages"] == 2
    assert SimulatorState.objects.get().size <= state.ANONYMOUS_BYTES


def test_a_signed_in_learner_has_a_larger_budget(client, learner):
    client.force_login(learner)
    act(client, "create", name="orders")
    answers = [act(client, "send", queue="orders", body=random_text(1_000_000)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200] * 4


def test_the_budget_counts_every_simulator_of_the_owner(client, monkeypatch):
    act(client, "create", name="orders")
    client.post(reverse("sims:kinesis-preset"), {"name": "even-load"})
    kinesis_bytes = SimulatorState.objects.get(simulator="kinesis").size
    monkeypatch.setattr(state, "ANONYMOUS_BYTES", kinesis_bytes + 20_000)
    answer = act(client, "send", queue="orders", body=random_text(30_000))
    assert answer.status_code == 400 and "at most" in answer.content.decode()


def test_a_refused_save_is_shown_with_the_state_as_it_was(client, monkeypatch):
    act(client, "create", name="orders")
    act(client, "send", queue="orders", body="kept")
    monkeypatch.setattr(state, "ANONYMOUS_BYTES", SimulatorState.objects.get().size + 2_000)
    answer = act(client, "send", queue="orders", body=random_text(5_000))
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'data-error="invalid"' in html and "kept" in html
    assert stored(client, SqsSimulation).engine.totals()["Messages"] == 1
    assert act(client, "send", queue="orders", body="small").status_code == 200


def test_visitors_at_one_address_share_a_budget(monkeypatch):
    monkeypatch.setattr(state, "ADDRESS_BYTES", 120_000)
    answers = []
    for _ in range(3):
        visitor = Client()
        act(visitor, "create", name="orders")
        answers.append(act(visitor, "send", queue="orders", body=random_text(60_000)))
    assert [a.status_code for a in answers] == [200, 200, 400]
    assert "on your network" in answers[2].content.decode()
    other_network = Client(REMOTE_ADDR="203.0.113.9")
    act(other_network, "create", name="orders")
    assert act(other_network, "send", queue="orders", body=random_text(60_000)).status_code == 200


def test_the_kinesis_simulator_at_its_cap_fits_a_visitors_budget(client):
    client.post(reverse("sims:kinesis-reset"), {"shards": "32"})
    form = {"strategy": "random", "rate": "10000", "size": "100", "key": "k", "hot_share": "0.5", "seconds": "1", "do": "run"}  # fmt: skip
    for _ in range(3):
        assert (
            client.post(reverse("sims:kinesis-action", args=["producer"]), form).status_code == 302
        )
    assert stored(client, KinesisSimulation).kinesis.totals()["Records"] == 30_000
    assert SimulatorState.objects.get().size < state.ANONYMOUS_BYTES


# --- expiry ----------------------------------------------------------------------------------


def _age(hours: float) -> None:
    SimulatorState.objects.update(updated_at=timezone.now() - timedelta(hours=hours))


def test_anonymous_state_unused_for_a_day_is_gone(client):
    act(client, "create", name="orders")
    _age(25)
    state.forget()
    assert "No queue yet" in client.get(reverse("sims:sqs")).content.decode()
    act(client, "create", name="fresh")
    assert queue_names(client) == ["fresh"]
    assert SimulatorState.objects.get().parts.filter(key__contains="q1/").count() == 0


def test_the_expire_command_deletes_old_anonymous_state_only(client, learner, capsys):
    act(client, "create", name="old")
    _age(25)
    recent = Client()
    act(recent, "create", name="recent")
    signed_in = Client()
    signed_in.force_login(learner)
    act(signed_in, "create", name="learners")
    SimulatorState.objects.filter(user=learner).update(
        updated_at=timezone.now() - timedelta(days=300)
    )
    call_command("expire_simulators")
    assert "Deleted 1 anonymous simulator state(s) unused for 24 hours." in capsys.readouterr().out
    assert sorted(SimulatorState.objects.values_list("visitor", "user")) == sorted(
        [(recent.session[state.VISITOR_KEY], None), ("", learner.pk)]
    )
    assert not SimulatorPart.objects.exclude(state__in=SimulatorState.objects.all()).exists()
