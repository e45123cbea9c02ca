"""The Kinesis simulator page: each form is one engine operation on the owner's stored state."""

import pytest
from django.test import Client
from django.urls import reverse

from studyapp.engines.kinesis import MAX_HASH_KEY, stream_view
from studyapp.sims import presets
from studyapp.sims.kinesis import simulation as sim
from studyapp.sims.kinesis.simulation import KinesisSimulation

from ..conftest import stored

pytestmark = pytest.mark.django_db

PAGE = reverse("sims:kinesis")
HTMX = {"HTTP_HX_REQUEST": "true"}
PRESETS = [p.name for p in presets.available(presets.KINESIS)]


def url(name: str) -> str:
    if name in ("preset", "reset"):
        return reverse(f"sims:kinesis-{name}")
    return reverse("sims:kinesis-action", args=[name])


def state_of(client: Client) -> KinesisSimulation:
    return stored(client, KinesisSimulation)


def shards_of(client: Client) -> dict[str, dict]:
    """The stream's shards as the page sees them, by id, with every record they keep."""
    state = state_of(client)
    view = stream_view(state.kinesis, state.stream, recent=100_000)
    return {shard["ShardId"]: shard for shard in view["shards"]}


def open_ids(client: Client) -> list[str]:
    return [shard_id for shard_id, shard in shards_of(client).items() if shard["open"]]


def records_of(client: Client, shard_id: str) -> list[str]:
    return [r["Data"] for r in shards_of(client)[shard_id]["recent"]]


def kept(client: Client) -> int:
    return state_of(client).kinesis.totals()["Records"]


def retention_of(client: Client) -> int:
    state = state_of(client)
    return stream_view(state.kinesis, state.stream, recent=0)["RetentionPeriodHours"]


def test_page_shows_a_fresh_four_shard_stream(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="kinesis-sim"' in html
    assert "shardId-000000000003" in html
    assert "<dd data-open-shards>4</dd>" in html
    assert "<svg" in html and "<title" in html
    assert str(MAX_HASH_KEY) in html  # the last shard's EndingHashKey, in the text table


def test_the_index_lists_the_kinesis_simulator(client):
    assert PAGE in client.get(reverse("sims:index")).content.decode()


def test_there_are_at_least_eight_presets_and_the_picker_lists_them(client):
    assert len(PRESETS) >= 8
    html = client.get(PAGE).content.decode()
    for name in PRESETS:
        assert f'value="{name}"' in html


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_loads_and_renders(client, name):
    response = client.post(url("preset"), {"name": name})
    assert response.status_code == 302 and response.url == PAGE
    state = state_of(client)
    assert state.preset == name and state.has_stream()
    page = client.get(PAGE)
    assert page.status_code == 200
    preset = presets.load(presets.KINESIS, name)
    assert preset.title in page.content.decode()
    assert [e["action"] for e in state.log][: len(preset.data["steps"])]


def test_a_presets_log_shows_each_step_at_its_own_time_with_references_resolved(client):
    client.post(url("preset"), {"name": "retention-expiry"})
    log = list(state_of(client).log)
    assert [e["at"][11:19] for e in log[:4]] == ["00:00:00", "00:00:00", "00:00:00", "23:00:00"]
    get_records = log[5]
    assert get_records["action"] == "GetRecords" and "$4" not in get_records["request"]
    assert log[-1]["error"] == "InvalidArgumentException"  # retention below 24 hours


@pytest.mark.parametrize("name", ["nope", "../kinesis/even-load", "", "even-load.json"])
def test_unknown_preset_is_404(client, name):
    assert client.post(url("preset"), {"name": name}).status_code == 404


def test_htmx_post_returns_the_panel_only(client):
    response = client.post(url("advance"), {"seconds": "10"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="kinesis-sim"')
    assert "<html" not in html
    assert "2024-01-01 00:00:10.000" in html


def test_a_message_after_an_htmx_action_is_shown_once(client):
    html = client.post(url("preset"), {"name": "even-load"}, **HTMX).content.decode()
    assert "Loaded the preset “Even load”: 4 steps" in html
    assert "Loaded the preset" not in client.get(PAGE).content.decode()


def test_get_is_refused_on_actions(client):
    assert client.get(url("advance")).status_code == 405
    assert client.post(PAGE).status_code == 405


def test_advance_moves_the_virtual_clock(client):
    client.post(url("advance"), {"seconds": "3600"})
    assert state_of(client).kinesis.clock.now_ms() == 1_704_067_200_000 + 3_600_000


def test_producer_runs_records_onto_the_shards(client):
    response = client.post(
        url("producer"),
        {"strategy": "random", "rate": "400", "size": "100", "key": "k", "hot_share": "0.8",
         "seconds": "2", "do": "run"},
    )  # fmt: skip
    assert response.status_code == 302
    assert kept(client) == 800
    state = state_of(client)
    assert state.log.last["action"] == "Produce"
    assert "800 records in 2 s" in client.get(PAGE).content.decode()  # shown once
    assert "800 records in 2 s" not in client.get(PAGE).content.decode()


def test_hot_partition_key_throttles_one_shard_when_the_clock_moves(client):
    client.post(url("preset"), {"name": "hot-partition-key"})
    state = state_of(client)
    assert state.producer["running"] and state.producer["strategy"] == "skewed"
    hot = state.kinesis.locate(state.stream, state.producer["key"])["ShardId"]
    before = state.totals.get(hot, [0, 0])[1]
    html = client.post(url("advance"), {"seconds": "1"}, **HTMX).content.decode()
    state = state_of(client)
    assert state.totals[hot][1] > before
    assert f'<tr data-shard-row="{hot}" class="is-hot">' in html
    assert 'class="meter is-hot"' in html and "throttled" in html


def test_a_long_step_runs_the_producer_only_up_to_the_cap(client):
    client.post(url("preset"), {"name": "even-load"})  # 3,000 records a second
    before = kept(client)
    response = client.post(url("advance"), {"seconds": "3600"}, **HTMX)
    assert response.status_code == 200
    assert kept(client) - before <= sim.MAX_RECORDS_PER_REQUEST
    assert "first 3 s only" in response.content.decode()


def test_split_in_the_middle_closes_the_parent_and_opens_two_children(client):
    client.post(url("split"), {"shard": "shardId-000000000001", "middle": "1"})
    shards = shards_of(client)
    parent = shards["shardId-000000000001"]
    assert not parent["open"] and parent["children"] == [
        "shardId-000000000004",
        "shardId-000000000005",
    ]
    start, end = int(parent["StartingHashKey"]), int(parent["EndingHashKey"])
    assert int(shards["shardId-000000000005"]["StartingHashKey"]) == start + (end - start + 1) // 2
    html = client.get(PAGE).content.decode()
    assert "<dd data-open-shards>5</dd>" in html and "<dd data-closed-shards>1</dd>" in html


def test_split_at_a_point_on_the_bar_splits_the_shard_under_it(client):
    client.post(url("split"), {"at": "0.1"}, **HTMX)
    shards = shards_of(client)
    assert not shards["shardId-000000000000"]["open"]
    assert int(shards["shardId-000000000005"]["StartingHashKey"]) == (MAX_HASH_KEY + 1) // 10


def test_split_at_a_given_hash_key(client):
    key = str(3 * (MAX_HASH_KEY + 1) // 8)
    client.post(url("split"), {"shard": "shardId-000000000001", "hash_key": key})
    assert shards_of(client)["shardId-000000000005"]["StartingHashKey"] == key


def test_merge_two_adjacent_shards(client):
    client.post(url("merge"), {"shard": "shardId-000000000002", "adjacent": "shardId-000000000003"})
    assert open_ids(client) == [
        "shardId-000000000000",
        "shardId-000000000001",
        "shardId-000000000004",
    ]
    child = shards_of(client)["shardId-000000000004"]
    assert (child["ParentShardId"], child["AdjacentParentShardId"]) == (
        "shardId-000000000002",
        "shardId-000000000003",
    )


def test_an_engine_error_is_shown_and_logged_not_a_crash(client):
    response = client.post(
        url("merge"), {"shard": "shardId-000000000000", "adjacent": "shardId-000000000002"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "InvalidArgumentException" in html
    assert state_of(client).log.last["error"] == "InvalidArgumentException"
    assert len(open_ids(client)) == 4


def test_engine_error_without_htmx_is_shown_after_the_redirect(client):
    client.post(url("retention"), {"action": "DecreaseStreamRetentionPeriod", "hours": "12"})
    html = client.get(PAGE).content.decode()
    assert "InvalidArgumentException" in html and 'role="alert"' in html


def test_scale_and_retention(client):
    client.post(url("scale"), {"target": "8"})
    assert len(open_ids(client)) == 8
    client.post(url("retention"), {"action": "IncreaseStreamRetentionPeriod", "hours": "168"})
    assert retention_of(client) == 168


def test_put_record_lands_where_its_key_hashes(client):
    client.post(
        url("put"), {"partition_key": "customer-42", "data": "hello", "explicit_hash_key": ""}
    )
    state = state_of(client)
    where = state.kinesis.locate(state.stream, "customer-42")["ShardId"]
    assert records_of(client, where) == ["hello"]
    client.post(
        url("put"), {"partition_key": "k", "data": "last", "explicit_hash_key": str(MAX_HASH_KEY)}
    )
    assert records_of(client, "shardId-000000000003")[-1] == "last"


def test_consumer_reads_with_trim_horizon_and_latest(client):
    client.post(url("reset"), {"shards": "1"})
    shard = "shardId-000000000000"
    client.post(url("put"), {"partition_key": "k", "data": "a"})
    client.post(url("iterator"), {"shard": shard, "type": "LATEST"})
    html = client.post(url("records"), {"shard": shard, "limit": "10"}, **HTMX).content.decode()
    assert "0 records" in html
    client.post(url("iterator"), {"shard": shard, "type": "TRIM_HORIZON"})
    html = client.post(url("records"), {"shard": shard, "limit": "10"}, **HTMX).content.decode()
    assert "1 record" in html and "k: a" in html and "<span data-behind>0</span>" in html
    client.post(url("forget"), {"shard": shard})
    assert state_of(client).consumers == {}


def test_reading_a_closed_parent_to_its_end_offers_the_children(client):
    client.post(url("preset"), {"name": "split-hot-shard"})
    client.post(url("iterator"), {"shard": "shardId-000000000000", "type": "TRIM_HORIZON"})
    html = client.post(
        url("records"), {"shard": "shardId-000000000000", "limit": "10000"}, **HTMX
    ).content.decode()
    assert "NextShardIterator is null" in html
    assert "Read child shardId-000000000001" in html and "Read child shardId-000000000002" in html


def test_an_iterator_expires_after_five_minutes(client):
    client.post(url("iterator"), {"shard": "shardId-000000000000", "type": "TRIM_HORIZON"})
    client.post(url("advance"), {"seconds": "300"})
    assert "Iterator expired" in client.get(PAGE).content.decode()
    client.post(url("records"), {"shard": "shardId-000000000000", "limit": "1"})
    assert state_of(client).log.last["error"] == "ExpiredIteratorException"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("advance", {"seconds": "soon"}, "Enter a whole number"),
        ("advance", {"seconds": "0"}, "greater than or equal to 1"),
        ("advance", {"seconds": "9" * 5000}, "Enter a whole number"),
        ("advance", {"seconds": "99999999999"}, "less than or equal to"),
        ("reset", {"shards": "65"}, "less than or equal to 64"),
        ("split", {"shard": "shardId-999999999999", "middle": "1"}, "There is no shard"),
        ("split", {"shard": "shardId-000000000000", "hash_key": "1e10"}, "whole number from 0"),
        ("split", {"shard": "shardId-000000000000", "hash_key": str(MAX_HASH_KEY + 1)}, "whole number from 0"),
        ("split", {"at": "2.5"}, "between 0 and 1"),
        ("merge", {"shard": "x", "adjacent": "shardId-000000000001"}, "There is no shard x"),
        ("put", {"partition_key": "", "data": "d"}, "This field is required"),
        ("put", {"partition_key": "k" * 257, "data": "d"}, "at most 256"),
        ("iterator", {"shard": "shardId-000000000000", "type": "OLDEST"}, "valid choice"),
        ("records", {"shard": "shardId-000000000000", "limit": "1"}, "get one first"),
        ("records", {"shard": "shardId-000000000000", "limit": "10001"}, "less than or equal to 10000"),
        ("producer", {"strategy": "random", "rate": "5000", "size": "10", "key": "k", "hot_share": "0.5", "seconds": "3", "do": "run"}, "At most 10,000 records per request"),
        ("producer", {"strategy": "random", "rate": "10", "size": "10", "key": "k", "hot_share": "nan", "seconds": "1", "do": "run"}, "Enter a number"),
        ("producer", {"strategy": "loud", "rate": "10", "size": "10", "key": "k", "hot_share": "0.5", "seconds": "1", "do": "run"}, "valid choice"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_with_a_message(client, name, data, message):
    client.post(url("advance"), {"seconds": "1"})  # something stored
    before = state_of(client).kinesis.to_dict()
    for headers in ({}, HTMX):
        response = client.post(url(name), data, **headers)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html and 'role="alert"' in html
    assert state_of(client).kinesis.to_dict() == before


def test_the_simulator_keeps_a_bounded_number_of_records(client, monkeypatch):
    monkeypatch.setattr(sim, "MAX_RECORDS_KEPT", 500)
    form = {"strategy": "random", "rate": "400", "size": "10", "key": "k", "hot_share": "0.5", "seconds": "1", "do": "run"}  # fmt: skip
    assert client.post(url("producer"), form).status_code == 302
    response = client.post(url("producer"), {**form, "rate": "401"})
    assert response.status_code == 400 and "at most 500 records" in response.content.decode()
    assert kept(client) == 400
    assert state_of(client).producer["rate"] == 400  # a refused run changes no setting


def test_the_event_log_is_capped(client):
    for _ in range(sim.MAX_LOG + 5):
        client.post(url("advance"), {"seconds": "1"})
    log = state_of(client).log
    assert len(log) == sim.MAX_LOG and log.last["n"] == sim.MAX_LOG + 6


def test_play_toggles_polling(client):
    client.post(url("play"), {"on": "1"})
    assert 'hx-trigger="every 1s"' in client.get(PAGE).content.decode()
    client.post(url("play"), {"on": ""})
    assert 'hx-trigger="every 1s"' not in client.get(PAGE).content.decode()


def test_producer_start_and_stop(client):
    form = {"strategy": "fixed", "rate": "50", "size": "10", "key": "tenant-9", "hot_share": "0.5", "seconds": "1"}  # fmt: skip
    client.post(url("producer"), {**form, "do": "start"})
    client.post(url("advance"), {"seconds": "2"})
    state = state_of(client)
    where = state.kinesis.locate(state.stream, "tenant-9")["ShardId"]
    assert len(records_of(client, where)) == 100
    client.post(url("producer"), {**form, "do": "stop"})
    client.post(url("advance"), {"seconds": "2"})
    assert kept(client) == 100


def test_a_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert client.post(url("advance"), {"seconds": "1"}).status_code == 403


def test_two_visitors_have_separate_simulators():
    first, second = Client(), Client()
    first.post(url("split"), {"shard": "shardId-000000000000", "middle": "1"})
    second.post(url("reset"), {"shards": "2"})
    assert len(open_ids(first)) == 5
    assert len(open_ids(second)) == 2


def test_an_old_session_state_is_dropped_from_the_session(client):
    session = client.session
    session["sims:kinesis"] = {"version": 0, "engine": "garbage"}
    session.save()
    assert client.get(PAGE).status_code == 200
    assert "sims:kinesis" not in client.session


def test_sixty_four_busy_shards_all_render(client):
    """The render time of this page is measured by benchmarks/kinesis_page.py."""
    client.post(url("reset"), {"shards": "64"})
    form = {"strategy": "random", "rate": "10000", "size": "100", "key": "k", "hot_share": "0.5", "seconds": "1", "do": "run"}  # fmt: skip
    client.post(url("producer"), form)
    response = client.get(PAGE)
    assert response.status_code == 200 and response.content.decode().count("data-shard-row=") == 64


def test_a_new_stream_meters_its_own_first_second(client):
    client.post(url("reset"), {"shards": "4"})
    body = client.get(PAGE).content.decode()
    assert "2024-01-01 00:00:00.000" in body
    assert "2023-12-31" not in body
