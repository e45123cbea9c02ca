"""The Kinesis page's view-model: meters of the last busy second, geometry, consumers."""

from studyapp.sims.kinesis import board, service
from studyapp.sims.kinesis.simulation import KinesisSimulation
from studyapp.sims.web import Outcome

RUN = {"strategy": "fixed", "rate": 50, "size": 10, "key": "tenant-9", "hot_share": 0.5}


def test_after_a_run_the_meters_show_the_second_that_just_ended():
    sim = KinesisSimulation.fresh(2)
    service.configure_producer(sim, RUN, "run", 1)  # the clock ends on the next whole second
    view = board.picture(sim)["stream"]
    assert view["window_time"] == "2024-01-01 00:00:00.000"
    assert sum(s["write"]["records"] for s in view["shards"]) == 50


def test_a_new_stream_meters_its_own_first_second():
    view = board.picture(KinesisSimulation.fresh())["stream"]
    assert view["window_time"] == "2024-01-01 00:00:00.000"


def test_shards_are_placed_on_the_bar_and_the_hot_key_marked():
    sim = KinesisSimulation.fresh(4)
    service.configure_producer(sim, RUN, "start", 1)
    picture = board.picture(sim)
    shards = picture["stream"]["shards"]
    assert [(s["x"], s["w"]) for s in shards] == [
        (0.0, 250.0),
        (250.0, 250.0),
        (500.0, 250.0),
        (750.0, 250.0),
    ]
    assert shards[1]["range_pct"] == "25.00%\N{EN DASH}50.00%"
    assert picture["hot_key"]["PartitionKey"] == "tenant-9"
    assert 0 <= picture["hot_key"]["x"] <= 1000


def test_a_consumers_iterator_counts_down_to_its_expiry():
    sim = KinesisSimulation.fresh(1)
    service.get_iterator(sim, "shardId-000000000000", "LATEST", "", None)
    service.advance(sim, 60)
    consumer = board.picture(sim)["consumers"][0]
    assert (consumer["expired"], consumer["expires_in"]) == (False, 240)
    service.advance(sim, 240)
    assert board.picture(sim)["consumers"][0]["expired"] is True


def test_the_notice_comes_from_the_outcome():
    sim = KinesisSimulation.fresh()
    assert board.build(sim)["notice"] is None
    notice = board.build(sim, Outcome("ValidationException: no", error=True))["notice"]
    assert notice == {"level": "error", "text": "ValidationException: no"}
    assert board.build(sim, Outcome("fine"))["notice"]["level"] == "info"


# Issue #14, item 13: the log speaks in sentences and says when a call did nothing.


def test_the_log_says_what_each_call_did_in_sentences():
    sim = KinesisSimulation.fresh(2)
    first = sim.shard_ids()[0]
    service.split(sim, first, 2**126)
    service.put_record(sim, "tenant-9", "x", "")
    texts = [row["text"] for row in board.picture(sim)["log"]]
    assert texts[0].startswith("Put a record with the partition key “tenant-9” on shardId-")
    assert texts[1] == (
        f"Split {first} at hash key 850705…052864: it is closed, its two children are open."
    )
    assert texts[2] == "Created the stream sim with 2 shards."


def test_a_read_that_finds_nothing_is_logged_as_doing_nothing():
    sim = KinesisSimulation.fresh(1)
    shard = sim.shard_ids()[0]
    service.get_iterator(sim, shard, "LATEST", "", None)
    service.get_records(sim, shard, 10)
    row = board.picture(sim)["log"][0]
    assert row["did_nothing"]
    assert row["text"] == "GetRecords read nothing: no new record after the iterator's position."
