"""The SQS simulator page: each form is one engine action on the owner's stored simulation."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from studyapp.engines.sqs import snapshot as engine_snapshot
from studyapp.sims import presets, state
from studyapp.sims.models import SimulatorState
from studyapp.sims.sqs import simulation as service
from studyapp.sims.sqs.simulation import SqsSimulation

from ..conftest import stored

pytestmark = pytest.mark.django_db

PAGE = reverse("sims:sqs")


def preset_names():
    return [p.name for p in presets.available(presets.SQS)]


def act(client, action, /, htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("sims:sqs-action", args=[action]), data, headers=headers)


def sim(client) -> SqsSimulation:
    return stored(client, SqsSimulation)


def snapshot(client):
    return engine_snapshot(sim(client).engine)


def queue_view(client, name):
    return next(q for q in snapshot(client)["Queues"] if q["QueueName"] == name)


def held(client, consumer=1):
    return sim(client).consumers[consumer - 1]


def log(client):
    return list(sim(client).log)


@pytest.fixture
def orders(client):
    """A client whose simulation has one standard queue, "orders" (VisibilityTimeout 30)."""
    assert act(client, "create", name="orders").status_code == 200
    return client


def test_page_shows_an_empty_simulator_and_the_presets(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amazon SQS simulator" in html
    assert "No queue yet" in html
    assert len(preset_names()) >= 10
    assert "A poison message moves to the dead-letter queue" in html
    assert 'id="sqs-live"' in html and 'role="log"' in html


def test_create_queue_with_attributes_and_redrive_policy(client):
    act(client, "create", name="jobs-dlq")
    response = act(
        client, "create", name="jobs", visibility="10", delay="5", dlq="jobs-dlq", max_receive="2"
    )
    assert response.status_code == 200
    jobs = queue_view(client, "jobs")
    assert jobs["Attributes"]["VisibilityTimeout"] == "10"
    assert jobs["Attributes"]["DelaySeconds"] == "5"
    assert jobs["DeadLetterQueue"] == {"QueueName": "jobs-dlq", "MaxReceiveCount": 2}
    assert log(client)[-1]["action"]["Attributes"]["RedrivePolicy"]


def test_create_fifo_queue(client):
    act(client, "create", name="orders.fifo", fifo="on", content_dedup="on")
    q = queue_view(client, "orders.fifo")
    assert q["Fifo"] is True
    assert q["Attributes"]["ContentBasedDeduplication"] == "true"


def test_send_and_receive_change_the_message_state(orders):
    act(orders, "send", queue="orders", body="A")
    assert queue_view(orders, "orders")["Messages"][0]["State"] == "visible"
    response = act(orders, "receive", consumer="2", queue="orders", max="1")
    assert response.status_code == 200
    m = queue_view(orders, "orders")["Messages"][0]
    assert (m["State"], m["ReceiveCount"]) == ("inflight", 1)
    assert [h["Body"] for h in held(orders, 2)] == ["A"]
    assert held(orders, 1) == []
    assert 'data-state="inflight"' in response.content.decode()
    assert "visible again in 30 s" in response.content.decode()


def test_message_reappears_after_visibility_timeout(orders):
    act(orders, "send", queue="orders", body="A")
    act(orders, "receive", consumer="1", queue="orders", max="1")
    act(orders, "advance", seconds="29")
    assert queue_view(orders, "orders")["Messages"][0]["State"] == "inflight"
    response = act(orders, "advance", seconds="2")  # 31 s after the receive
    m = queue_view(orders, "orders")["Messages"][0]
    assert (m["State"], m["ReceiveCount"]) == ("visible", 1)
    html = response.content.decode()
    assert 'data-state="visible" data-receive-count="1"' in html
    assert "this receipt handle is stale" in html


def test_delay_seconds_on_send(orders):
    act(orders, "send", queue="orders", body="later", delay="10")
    m = queue_view(orders, "orders")["Messages"][0]
    assert (m["State"], m["SecondsUntilVisible"]) == ("delayed", 10)


def test_batch_send_one_line_per_message(orders):
    act(orders, "batch", queue="orders", bodies="one\ntwo\n\nthree\n")
    assert [m["Body"] for m in queue_view(orders, "orders")["Messages"]] == ["one", "two", "three"]
    assert log(orders)[-1]["action"]["Action"] == "SendMessageBatch"


def test_batch_of_eleven_is_the_engines_error(orders):
    response = act(orders, "batch", queue="orders", bodies="\n".join(f"m{i}" for i in range(11)))
    assert response.status_code == 200
    assert "TooManyEntriesInBatchRequest" in response.content.decode()
    assert queue_view(orders, "orders")["Messages"] == []


def test_delete_a_received_message(orders):
    act(orders, "send", queue="orders", body="A")
    act(orders, "receive", consumer="1", queue="orders", max="1")
    handle = held(orders)[0]["ReceiptHandle"]
    act(orders, "delete", consumer="1", queue="orders", handle=handle)
    assert queue_view(orders, "orders")["Messages"] == []
    assert held(orders) == []
    assert log(orders)[-1]["action"] == {
        "Action": "DeleteMessage",
        "QueueName": "orders",
        "ReceiptHandle": handle,
    }


def test_change_visibility_to_zero_makes_the_message_visible(orders):
    act(orders, "send", queue="orders", body="A")
    act(orders, "receive", consumer="1", queue="orders", max="1")
    handle = held(orders)[0]["ReceiptHandle"]
    act(orders, "visibility", consumer="1", queue="orders", handle=handle, timeout="0")
    assert queue_view(orders, "orders")["Messages"][0]["State"] == "visible"


def test_crash_forgets_receipt_handles_without_deleting(orders):
    act(orders, "send", queue="orders", body="A")
    act(orders, "receive", consumer="3", queue="orders", max="1")
    response = act(orders, "crash", consumer="3")
    assert response.status_code == 200
    assert held(orders, 3) == []
    assert queue_view(orders, "orders")["Messages"][0]["State"] == "inflight"
    act(orders, "advance", seconds="30")
    assert queue_view(orders, "orders")["Messages"][0]["State"] == "visible"


def test_long_poll_waits_for_a_delayed_message(orders):
    act(orders, "send", queue="orders", body="soon", delay="7")
    act(orders, "receive", consumer="1", queue="orders", max="1", wait="20")
    snap = snapshot(orders)
    assert snap["Now"] - 1_704_067_200 == 7
    assert snap["Queues"][0]["Messages"][0]["State"] == "inflight"


def test_purge_and_delete_queue(orders):
    act(orders, "send", queue="orders", body="A")
    act(orders, "purge", queue="orders")
    assert queue_view(orders, "orders")["Messages"] == []
    response = act(orders, "purge", queue="orders")
    assert "PurgeQueueInProgress" in response.content.decode()
    act(orders, "delete-queue", queue="orders")
    assert snapshot(orders)["Queues"] == []


def test_engine_error_is_shown_in_the_log_and_the_message_area(client):
    response = act(client, "send", queue="missing", body="A")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "QueueDoesNotExist: The specified queue does not exist." in html
    assert log(client)[-1]["error"]["Code"] == "QueueDoesNotExist"


def test_fifo_queue_requires_a_group_id(client):
    act(client, "create", name="o.fifo", fifo="on", content_dedup="on")
    response = act(client, "send", queue="o.fifo", body="A")
    assert "MissingParameter" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("receive", {"consumer": "1", "queue": "orders", "max": "many"}, "MaxNumberOfMessages"),
        ("receive", {"consumer": "1", "queue": "orders", "max": "11"}, "MaxNumberOfMessages"),
        ("receive", {"consumer": "9", "queue": "orders", "max": "1"}, "Consumer"),
        ("advance", {"seconds": "301"}, "300"),
        ("advance", {"seconds": "abc"}, "Seconds to advance"),
        ("advance", {"seconds": "0"}, "Seconds to advance"),
        ("send", {"queue": "orders", "body": "A", "delay": "901"}, "DelaySeconds"),
        ("send", {"queue": "orders", "body": ""}, "Message body"),
        ("create", {"name": "q", "retention": "59"}, "MessageRetentionPeriod"),
        ("create", {"name": "q", "dlq": "orders"}, "maxReceiveCount"),
        (
            "visibility",
            {"consumer": "1", "queue": "orders", "handle": "h", "timeout": "-1"},
            "VisibilityTimeout",
        ),
        ("play", {"speed": "1000"}, "Speed"),
    ],
)
def test_bad_input_is_a_400_with_a_message(orders, name, data, says):
    before = snapshot(orders)
    response = act(orders, name, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-error="invalid"' in html
    assert says in html
    assert snapshot(orders) == before


def test_bad_input_without_javascript_renders_the_page_with_400(orders):
    response = act(orders, "advance", htmx=False, seconds="x")
    assert response.status_code == 400
    assert "<html" in response.content.decode()
    assert "Seconds to advance" in response.content.decode()


def test_oversized_body_is_a_400(orders):
    response = act(orders, "send", queue="orders", body="x" * (1_048_576 + 1))
    assert response.status_code == 400
    assert "1,048,577 bytes" in response.content.decode()
    assert queue_view(orders, "orders")["Messages"] == []


def test_a_body_of_exactly_one_mib_is_accepted(orders):
    assert act(orders, "send", queue="orders", body="x" * 1_048_576).status_code == 200
    assert len(queue_view(orders, "orders")["Messages"]) == 1
    # the log and the page show a shortened body, not a megabyte
    assert len(log(orders)[-1]["action"]["MessageBody"]) < 200


def test_too_many_queues_is_a_400(client):
    for i in range(service.MAX_QUEUES):
        assert act(client, "create", name=f"q{i}").status_code == 200
    response = act(client, "create", name="one-too-many")
    assert response.status_code == 400
    assert "the most it can hold" in response.content.decode()
    assert len(snapshot(client)["Queues"]) == service.MAX_QUEUES


def test_too_many_messages_is_a_400(orders, monkeypatch):
    monkeypatch.setattr(service, "MAX_MESSAGES", 3)
    act(orders, "batch", queue="orders", bodies="a\nb")
    assert act(orders, "send", queue="orders", body="c").status_code == 200
    response = act(orders, "send", queue="orders", body="d")
    assert response.status_code == 400
    assert "it can hold at most 3" in response.content.decode()
    assert len(queue_view(orders, "orders")["Messages"]) == 3


def test_too_many_bytes_is_a_400(orders, monkeypatch):
    monkeypatch.setattr(service, "MAX_STORED_BYTES", 10)
    assert act(orders, "send", queue="orders", body="x" * 10).status_code == 200
    assert act(orders, "send", queue="orders", body="y").status_code == 400


def test_post_without_csrf_token_is_forbidden():
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)
    response = client.post(reverse("sims:sqs-action", args=["advance"]), {"seconds": "1"})
    assert response.status_code == 403
    assert client.post(reverse("sims:sqs-preset"), {"preset": "purge-queue"}).status_code == 403


def test_post_with_csrf_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("sims:sqs-action", args=["advance"]),
        {"seconds": "1"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302


def test_plain_form_post_redirects_back_to_the_page(client):
    response = act(client, "create", htmx=False, name="orders")
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert 'data-queue="orders"' in client.get(PAGE).content.decode()


def test_engine_error_without_javascript_is_a_message_after_the_redirect(client):
    response = act(client, "send", htmx=False, queue="missing", body="A")
    assert response.status_code == 302
    assert "QueueDoesNotExist" in client.get(PAGE).content.decode()


def test_htmx_answer_is_the_panel_and_the_status_line(orders):
    response = act(orders, "send", queue="orders", body="A")
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="sqs-panel"')
    assert 'id="sqs-live"' in html and 'hx-swap-oob="true"' in html
    assert "SendMessage done" in html


def test_unknown_action_is_404_and_get_is_405(client):
    assert act(client, "explode").status_code == 404
    assert client.get(reverse("sims:sqs-action", args=["advance"])).status_code == 405


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_loads_and_runs(client, name):
    response = client.post(
        reverse("sims:sqs-preset"), {"preset": name}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    preset = sim(client).preset
    assert preset["name"] == name
    assert preset["done"] == 0
    html = response.content.decode()
    assert preset["title"] in html.replace("&#x27;", "'")
    response = act(client, "preset-rest")
    assert response.status_code == 200
    preset = sim(client).preset
    assert preset["done"] == len(preset["steps"])
    assert len(log(client)) == len(preset["steps"])


def test_preset_steps_run_one_at_a_time(client):
    client.post(reverse("sims:sqs-preset"), {"preset": "poison-message-dlq"})
    act(client, "preset-step")
    act(client, "preset-step")
    assert [q["QueueName"] for q in snapshot(client)["Queues"]] == ["orders", "orders-dlq"]
    assert sim(client).preset["done"] == 2


def test_poison_message_preset_ends_in_the_dlq_lane_next_to_its_source(client):
    client.post(reverse("sims:sqs-preset"), {"preset": "poison-message-dlq"})
    act(client, "preset-rest")
    dlq = queue_view(client, "orders-dlq")
    assert [m["Body"] for m in dlq["Messages"]] == ["malformed payload"]
    html = client.get(PAGE).content.decode()
    assert html.index('data-queue="orders"') < html.index('data-queue="orders-dlq"')
    assert "dead-letter queue of orders" in html
    assert "moved from orders" in html


def test_fifo_group_blocking_is_shown(client):
    client.post(reverse("sims:sqs-preset"), {"preset": "fifo-group-blocking"})
    act(client, "preset-step")
    act(client, "preset-step")
    response = act(client, "receive", consumer="1", queue="orders.fifo", max="1")
    html = response.content.decode()
    assert 'data-group="A" data-group-state="blocked"' in html
    assert "held back: 2 messages wait" in html
    response = act(client, "receive", consumer="2", queue="orders.fifo", max="10")
    assert [h["Body"] for h in held(client, 2)] == ["customer B: created"]
    assert "data-dedup=" in response.content.decode()


def test_demo_mode_preset_uses_its_seed(client):
    client.post(reverse("sims:sqs-preset"), {"preset": "at-least-once-delivery"})
    assert snapshot(client)["DemoMode"] == {"Seed": 11, "DuplicateRate": 0.3, "ReorderRate": 0.5}


def test_unknown_preset_is_404(client):
    assert client.post(reverse("sims:sqs-preset"), {"preset": "nope"}).status_code == 404
    assert (
        client.post(reverse("sims:sqs-preset"), {"preset": "../sqs/purge-queue"}).status_code == 404
    )
    assert client.post(reverse("sims:sqs-preset"), {}).status_code == 404


def test_reset_starts_afresh_with_optional_demo_mode(orders):
    act(orders, "send", queue="orders", body="A")
    response = orders.post(
        reverse("sims:sqs-reset"),
        {"seed": "5", "duplicates": "20", "reorder": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    snap = snapshot(orders)
    assert snap["Queues"] == []
    assert snap["DemoMode"] == {"Seed": 5, "DuplicateRate": 0.2, "ReorderRate": 0.0}
    assert orders.post(reverse("sims:sqs-reset"), {"duplicates": "101"}).status_code == 400


def test_two_clients_have_separate_simulations(client):
    other = Client()
    act(client, "create", name="mine")
    act(other, "create", name="theirs")
    act(other, "advance", seconds="60")
    assert [q["QueueName"] for q in snapshot(client)["Queues"]] == ["mine"]
    assert [q["QueueName"] for q in snapshot(other)["Queues"]] == ["theirs"]
    assert snapshot(client)["Now"] + 60 == snapshot(other)["Now"]


def test_play_ticks_advance_the_clock_by_the_speed(orders):
    start = snapshot(orders)["Now"]
    act(orders, "tick")
    assert snapshot(orders)["Now"] == start  # paused: a stray tick does nothing
    response = act(orders, "play", speed="10")
    assert 'hx-trigger="every 1s"' in response.content.decode()
    response = act(orders, "tick")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="sqs-board"')
    act(orders, "tick")
    assert snapshot(orders)["Now"] == start + 20
    advances = [e for e in log(orders) if e["action"]["Action"] == "Advance"]
    assert advances[-1]["action"]["Seconds"] == 20  # consecutive ticks make one log entry
    response = act(orders, "play", speed="0")
    assert 'hx-trigger="every 1s"' not in response.content.decode()


def test_log_is_capped(orders):
    for i in range(service.LOG_LIMIT + 5):
        act(orders, "send", queue="orders", body=f"m{i}")
    entries = log(orders)
    assert len(entries) == service.LOG_LIMIT
    assert entries[-1]["n"] == service.LOG_LIMIT + 6  # CreateQueue was event 1


def test_a_stored_state_that_cannot_be_read_starts_afresh(orders):
    SimulatorState.objects.update(head=json.dumps({"version": 999}))
    state.forget()
    response = orders.get(PAGE)
    assert response.status_code == 200
    assert "No queue yet" in response.content.decode()
    assert act(orders, "create", name="fresh").status_code == 200
    assert [q["QueueName"] for q in snapshot(orders)["Queues"]] == ["fresh"]


def test_an_old_session_state_is_dropped_from_the_session(client):
    session = client.session
    session["sims_sqs"] = {"engine": {"version": 1}, "log": ["x" * 1000]}
    session.save()
    assert client.get(PAGE).status_code == 200
    assert "sims_sqs" not in client.session


def test_every_action_name_is_routed_the_same_way(client):
    assert reverse("sims:sqs-action", args=["send"]) == "/sims/sqs/do/send/"
    assert reverse("sims:kinesis-action", args=["put"]) == "/sims/kinesis/do/put/"
    assert reverse("sims:iam-action", args=["evaluate"]) == "/sims/iam/do/evaluate/"
