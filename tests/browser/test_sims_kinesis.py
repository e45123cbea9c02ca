"""The Kinesis simulator in Chromium: a hot partition key throttles, splits and merges reshape the bar."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("transactional_db")


def load_preset(page, title: str) -> None:
    page.get_by_label("Preset").select_option(label=title)
    page.get_by_role("button", name="Load preset").click()
    expect(page.locator(".kinesis-preset h2")).to_have_text(title)


def test_hot_partition_key_turns_one_shard_red_as_the_clock_moves(page):
    page.goto("/sims/kinesis/")
    expect(page.locator("[data-open-shards]")).to_have_text("4")
    load_preset(page, "Hot partition key")
    expect(page.locator("[data-producer-state]")).to_have_text("runs with the clock")
    clock = page.locator("[data-clock]")
    expect(clock).to_have_text("2024-01-01 00:00:04.000")

    page.get_by_role("button", name="+1 s").click()
    expect(clock).to_have_text("2024-01-01 00:00:05.000")
    hot = page.locator("tr.is-hot")
    expect(hot).to_have_count(1)  # every record with the hot key hashes to one shard
    expect(hot.locator(".meter.is-hot")).to_have_count(1)
    expect(hot.locator("[data-write]")).to_contain_text(
        re.compile(r"1000/1000 records, .* throttled")
    )
    expect(page.locator("svg rect.shard.is-hot")).to_have_count(1)
    expect(hot).to_have_attribute("data-shard-row", "shardId-000000000003")
    hot_row = page.locator('tr[data-shard-row="shardId-000000000003"]')
    first_total = int(hot_row.locator("[data-total-throttled]").inner_text())
    assert first_total > 0

    page.get_by_role("button", name="+1 s").click()
    expect(clock).to_have_text("2024-01-01 00:00:06.000")
    expect(hot_row.locator("[data-total-throttled]")).not_to_have_text(str(first_total))
    expect(page.locator(".kinesis-events li").first).to_contain_text("Produce")

    # 2,000 records a second for 10 s is more than one request may produce: 5 s run, 5 s idle.
    page.get_by_role("button", name="+10 s").click()
    expect(clock).to_have_text("2024-01-01 00:00:16.000")
    expect(page.get_by_role("status")).to_contain_text("first 5 s only")

    page.get_by_role("button", name="Stop").click()
    expect(page.locator("[data-producer-state]")).to_have_text("stopped")
    page.get_by_role("button", name="+1 min").click()
    expect(clock).to_have_text("2024-01-01 00:01:16.000")
    expect(page.locator("tr.is-hot")).to_have_count(0)


def test_split_the_hot_shard_then_split_merge_and_read(page):
    page.goto("/sims/kinesis/")
    load_preset(page, "Split the hot shard")
    expect(page.locator("[data-open-shards]")).to_have_text("2")
    expect(page.locator("[data-closed-shards]")).to_have_text("1")
    parent = page.locator('tr[data-shard-row="shardId-000000000000"]')
    expect(parent.locator("[data-status]")).to_have_text("closed")
    expect(page.locator("svg rect.shard.is-closed")).to_have_count(1)

    page.get_by_role("button", name="Split shardId-000000000001 in the middle").click()
    expect(page.locator("[data-open-shards]")).to_have_text("3")
    expect(page.locator('tr[data-shard-row="shardId-000000000001"] [data-status]')).to_have_text(
        "closed"
    )

    # A click on the upper band splits the shard under the pointer: shardId-000000000002,
    # which covers the upper half of the key space.
    page.locator('svg rect[data-shard="shardId-000000000002"]').click()
    expect(page.locator("[data-open-shards]")).to_have_text("4")
    expect(page.locator('tr[data-shard-row="shardId-000000000002"] [data-status]')).to_have_text(
        "closed"
    )

    page.get_by_label("Shard to merge").select_option("shardId-000000000003")
    page.get_by_label("Adjacent shard").select_option("shardId-000000000004")
    page.get_by_role("button", name="MergeShards").click()
    expect(page.locator("[data-open-shards]")).to_have_text("3")
    expect(page.locator('tr[data-shard-row="shardId-000000000007"]')).to_contain_text(
        "shardId-000000000004"
    )

    page.get_by_label("Shard", exact=True).select_option("shardId-000000000000")
    page.get_by_label("Iterator type").select_option("TRIM_HORIZON")
    page.get_by_role("button", name="GetShardIterator").click()
    consumer = page.locator('[data-consumer="shardId-000000000000"]')
    consumer.get_by_label("Limit").fill("10000")
    consumer.get_by_role("button", name="GetRecords").click()
    expect(consumer.locator("[data-records-count]")).to_have_text("1000 records")
    expect(consumer).to_contain_text("NextShardIterator is null")
    consumer.get_by_role("button", name="Read child shardId-000000000001").click()
    expect(page.locator('[data-consumer="shardId-000000000001"]')).to_contain_text("TRIM_HORIZON")


def test_the_page_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sims/kinesis/")
    page.get_by_label("Preset").select_option(label="Merge two cold shards")
    page.get_by_role("button", name="Load preset").click()
    expect(page.locator(".kinesis-preset h2")).to_have_text("Merge two cold shards")
    expect(page.locator("[data-open-shards]")).to_have_text("3")
    page.get_by_role("button", name="+1 h").click()
    expect(page.locator("[data-clock]")).to_have_text(re.compile(r"01:00:0\d\.000"))
    context.close()


def test_a_shard_splits_by_keyboard_at_the_point_the_arrow_keys_chose(page):
    page.goto("/sims/kinesis/")
    expect(page.locator("[data-open-shards]")).to_have_text("4")
    band = page.get_by_role("button", name=re.compile(r"^Split shardId-000000000000 \("))
    band.focus()
    expect(page.locator("svg .split-point")).to_have_attribute("x1", "125")  # the middle
    for _ in range(8):
        page.keyboard.press("ArrowRight")  # a 32nd of the shard each: 125 + 8 * 7.8125
    expect(page.locator("#split-point")).to_have_text("18.75 %")
    page.keyboard.press("Enter")
    expect(page.locator("[data-open-shards]")).to_have_text("5")
    expect(page.locator('tr[data-shard-row="shardId-000000000000"] [data-status]')).to_have_text(
        "closed"
    )
    expect(page.locator('tr[data-shard-row="shardId-000000000004"]')).to_contain_text(
        "0.00%–18.75%"
    )
    expect(page.locator(".kinesis-events li").first).to_contain_text(
        "Split shardId-000000000000 at hash key"
    )
