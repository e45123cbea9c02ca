"""The DynamoDB simulator in Chromium, on a laptop and on a phone: a hot partition turns red, a
Scan pays for what its filter drops, optimistic locking refuses a stale write (shown before it is
sent), a transaction cancels; nothing overflows sideways and no script fails."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("transactional_db")

WIDTHS = [1366, 390]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized(page, request):
    page.set_viewport_size({"width": request.param, "height": 900})
    page.goto("/sims/dynamodb/")
    return page


def load_preset(page, name: str) -> None:
    page.get_by_label("Preset", exact=True).select_option(name)
    page.get_by_role("button", name="Load preset").click()
    expect(page.locator(f'[data-preset="{name}"]')).to_be_visible()


def run_steps(page, count: int) -> None:
    steps_run = page.locator("[data-steps-run]")
    done = int(re.search(r"Steps run: (\d+)", steps_run.inner_text()).group(1))
    for n in range(done + 1, done + count + 1):
        page.get_by_role("button", name="Run next step").click()
        expect(steps_run).to_contain_text(f"Steps run: {n} of")


def settled(page) -> None:
    """htmx wires a swapped-in panel up when it settles, then drops its "htmx-added" class: an
    input event before that reaches no listener (a learner's next key would; a test's one
    fill() would not)."""
    expect(page.locator(".htmx-added")).to_have_count(0)


def run_all(page) -> None:
    page.get_by_role("button", name="Run all remaining steps").click()
    expect(page.get_by_role("button", name="Run next step")).to_have_count(0)


def assert_fits_the_width(page) -> None:
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, f"the page scrolls sideways by {sideways} px"


def test_a_hot_key_turns_one_partition_red_while_the_table_has_capacity_to_spare(sized):
    page = sized
    load_preset(page, "hot-partition")
    run_steps(page, 2)
    table = page.locator('[data-table="Events"]')
    expect(table.locator("[data-partition-count]")).to_have_text("4 partitions")
    expect(table.locator('.ddb-partition[data-heat="5"]')).to_have_count(1)
    expect(table.locator(".ddb-hot")).to_have_text("hot: at its limit, requests throttle")
    writes = table.locator('[data-meter="write"]')
    expect(writes).to_have_class(re.compile(r"is-throttled"))
    expect(writes).to_contain_text("1,000 of 3,000 WCU (33%)")
    expect(writes).to_contain_text("500 requests throttled")
    expect(page.locator(".ddb-log li").first).to_contain_text("1,000 throttled")
    assert_fits_the_width(page)

    run_steps(page, 1)  # the same load spread over 10,000 keys
    expect(table.locator('.ddb-partition[data-heat="5"]')).to_have_count(0)
    expect(table.locator('[data-meter="write"]')).not_to_have_class(re.compile(r"is-throttled"))
    assert_fits_the_width(page)


def test_a_scan_reads_and_pays_for_every_item_its_filter_drops(sized):
    page = sized
    load_preset(page, "query-vs-scan-cost")
    run_steps(page, 4)
    read = page.locator(".ddb-read")
    expect(read).to_have_attribute("data-read", "Query")
    expect(read.locator(".ddb-read-sentence")).to_have_text(
        "Query on Orders read 4 items (0.5 RCU), returned 4."
    )
    run_all(page)
    expect(read).to_have_attribute("data-read", "Scan")
    expect(read.locator(".ddb-read-sentence")).to_have_text(
        "Scan on Orders read 24 items (2.5 RCU), returned 4 after the filter."
    )
    expect(read.locator('.ddb-reads li[data-kept="true"]')).to_have_count(4)
    expect(read.locator('.ddb-reads li[data-kept="false"]')).to_have_count(20)
    expect(page.locator(".ddb-item.mark-returned")).to_have_count(4)
    expect(page.locator(".ddb-item.mark-read")).to_have_count(20)
    assert_fits_the_width(page)


def test_optimistic_locking_refuses_a_stale_write_and_the_editor_says_so_first(sized):
    page = sized
    load_preset(page, "optimistic-locking")
    run_all(page)
    expect(page.locator(".ddb-log li.log-error")).to_have_count(1)

    # Pick the invoice from the drawing: the editor gets it, as a PutItem to edit.
    page.locator('[data-table="Documents"] .ddb-item').first.click()
    editor = page.locator("#ddb-editor")
    expect(editor.get_by_label("Item (PutItem) or key, in DynamoDB JSON")).to_have_value(
        re.compile(r'"version": \{\s*"N": "3"')
    )
    editor.get_by_label("Action", exact=True).select_option("UpdateItem")
    editor.get_by_label("UpdateExpression (UpdateItem)").fill("SET amount = :a, version = :new")
    editor.get_by_label("ConditionExpression (writes)").fill("version = :expected")
    editor.get_by_label("ExpressionAttributeValues (JSON)").fill(
        '{":a": {"N": "1"}, ":new": {"N": "3"}, ":expected": {"N": "2"}}'
    )
    preview = page.locator("#ddb-preview")
    expect(preview).to_contain_text("would fail with ConditionalCheckFailedException")
    editor.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("ConditionalCheckFailedException")
    expect(page.locator(".ddb-log li.log-error")).to_have_count(2)

    # With the version it holds now, the same update passes.
    settled(page)
    editor = page.locator("#ddb-editor")
    editor.get_by_label("ExpressionAttributeValues (JSON)").fill(
        '{":a": {"N": "1"}, ":new": {"N": "4"}, ":expected": {"N": "3"}}'
    )
    expect(page.locator("#ddb-preview")).to_contain_text("Cost: 1 WCU")
    editor.get_by_role("button", name="Send the request").click()
    expect(page.locator(".ddb-log li").first).to_contain_text("UpdateItem on Documents: 1 WCU")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert_fits_the_width(page)


def test_bad_json_is_explained_in_place(page):
    page.goto("/sims/dynamodb/")
    load_preset(page, "transaction-cancels")
    run_all(page)
    expect(page.locator(".ddb-log li").first).to_contain_text("TransactGetItems")
    expect(page.locator(".ddb-log li.log-error")).to_contain_text(
        "reasons, in request order: ConditionalCheckFailed, None"
    )
    settled(page)
    item = page.get_by_label("Item (PutItem) or key, in DynamoDB JSON")
    item.fill("")
    item.press_sequentially('{"accountId": ')
    expect(page.locator("#ddb-preview")).to_contain_text("is not valid JSON")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("The item is not valid JSON")
    # a 400 from the server is swapped in by the page's script, not logged as an error
    page.console_errors[:] = [e for e in page.console_errors if "400" not in e]


def test_the_page_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sims/dynamodb/?preset=sparse-gsi")
    page.get_by_role("button", name="Load preset").click()
    expect(page.locator('[data-preset="sparse-gsi"]')).to_be_visible()
    page.get_by_role("button", name="Run all remaining steps").click()
    expect(page.locator('[data-index="OpenOrders"] [data-index-count]')).to_contain_text(
        "2 of 12 items"
    )
    page.get_by_role("button", name="+1 h").click()
    expect(page.locator("[data-clock]")).to_have_text(re.compile(r"^01:00:0\d"))
    context.close()
