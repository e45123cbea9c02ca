"""The SQS simulator in Chromium: load a preset, drive it with the buttons, see the outcome.

Virtual time moves only when the test clicks a clock button; nothing sleeps.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("transactional_db")


def load_preset(page, name, title):
    page.goto("/sims/sqs/")
    page.get_by_label("Preset", exact=True).select_option(name)
    page.get_by_role("button", name="Load preset").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def run_steps(page, count, total):
    for done in range(1, count + 1):
        page.get_by_role("button", name="Run next step").click()
        expect(page.get_by_text(f"Steps run: {done} of {total}.")).to_be_visible()


def receive(page, consumer, queue, max_messages=1):
    form = page.locator(f'form.sqs-receive[data-consumer="{consumer}"]')
    form.get_by_label("Queue", exact=True).select_option(queue)
    form.get_by_label("MaxNumberOfMessages").fill(str(max_messages))
    form.get_by_role("button", name=f"Receive (consumer {consumer})").click()


def advance(page, label):
    page.get_by_role("button", name=label, exact=True).click()


def test_poison_message_moves_to_the_dead_letter_queue(page):
    load_preset(page, "poison-message-dlq", "A poison message moves to the dead-letter queue")
    run_steps(page, 3, 15)  # both queues created, the poison message sent
    orders = page.locator('article[data-queue="orders"]')
    dlq = page.locator('article[data-queue="orders-dlq"]')
    expect(dlq).to_contain_text("dead-letter queue of orders")
    message = orders.locator("li.sqs-msg")
    expect(message).to_have_attribute("data-state", "visible")

    for attempt in range(1, 4):
        receive(page, 1, "orders")
        expect(message).to_have_attribute("data-receive-count", str(attempt))
        expect(message).to_contain_text("in flight · visible again in 5 s")
        page.get_by_role("button", name="Crash consumer 1").click()
        expect(page.locator('.sqs-consumer[data-consumer="1"]')).to_contain_text("holds nothing")
        advance(page, "+5 s")
        expect(message).to_have_attribute("data-state", "visible")

    receive(page, 1, "orders")  # the fourth receive: maxReceiveCount 3 is exceeded
    expect(orders.locator("li.sqs-msg")).to_have_count(0)
    moved = dlq.locator("li.sqs-msg")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("malformed payload")
    expect(moved).to_contain_text("moved from orders")
    expect(moved).to_have_attribute("data-state", "visible")
    expect(dlq.locator('[data-count="visible"]')).to_have_text("1 visible")
    expect(page.locator(".sqs-log li").first).to_contain_text('"Action": "ReceiveMessage"')


def test_fifo_group_is_held_back_while_a_message_is_in_flight(page):
    load_preset(
        page, "fifo-group-blocking", "FIFO message groups block while a message is in flight"
    )
    run_steps(page, 2, 9)  # the FIFO queue and four messages: A1, A2, A3 in group A, B1 in group B
    lane = page.locator('article[data-queue="orders.fifo"]')
    group_a = lane.locator('tr[data-group="A"]')
    expect(group_a).to_have_attribute("data-group-state", "open")
    expect(lane.locator("tr[data-dedup]")).to_have_count(4)

    receive(page, 1, "orders.fifo", 1)
    expect(group_a).to_have_attribute("data-group-state", "blocked")
    expect(group_a).to_contain_text("held back: 2 messages wait")

    receive(page, 2, "orders.fifo", 10)
    consumer_2 = page.locator('.sqs-consumer[data-consumer="2"]')
    expect(consumer_2.locator("li[data-held]")).to_have_count(1)
    expect(consumer_2).to_contain_text("customer B: created")
    expect(page.locator(".sqs-log li").first).to_contain_text("customer B: created")

    consumer_2.get_by_role("button", name="Delete").click()  # B1 is done
    expect(consumer_2).to_contain_text("holds nothing")
    expect(lane.locator('tr[data-group="B"]')).to_have_count(0)
    page.get_by_role("button", name="Crash consumer 1").click()
    # Wait for the crash to show before advancing the clock, as the poison test does (one
    # loaded run saw group A still blocked after the advance).
    expect(page.locator('.sqs-consumer[data-consumer="1"]')).to_contain_text("holds nothing")
    advance(page, "+30 s")  # A1's visibility timeout ends: the group opens again
    expect(group_a).to_have_attribute("data-group-state", "open")

    receive(page, 2, "orders.fifo", 10)  # one receive returns the whole group, in order
    held = consumer_2.locator("li[data-held] > span:first-child")
    expect(held).to_have_text(["customer A: created", "customer A: paid", "customer A: shipped"])
    expect(group_a).to_contain_text(re.compile(r"in flight, nothing waiting"))


def test_bad_input_shows_a_message_in_place(page):
    page.goto("/sims/sqs/")
    page.get_by_label(re.compile("^QueueName")).fill("bad name!")
    page.get_by_role("button", name="Create queue").click()
    expect(page.get_by_role("alert")).to_contain_text("InvalidParameterValue")
    expect(page.locator(".sqs-log li.log-error")).to_have_count(1)


def test_out_of_range_input_is_answered_in_place(page, settings):
    settings.DEBUG = True  # as with `make run`: django-htmx's debug script must not take over
    page.goto("/sims/sqs/")
    form = page.locator("form", has=page.get_by_role("button", name="Create queue"))
    form.evaluate("form => { form.noValidate = true; }")  # as a browser without validation would
    form.get_by_label(re.compile("^QueueName")).fill("jobs")
    form.get_by_label(re.compile("^MessageRetentionPeriod")).fill("59")
    form.get_by_role("button", name="Create queue").click()
    expect(page.get_by_role("alert")).to_contain_text("MessageRetentionPeriod")
    expect(page.locator("article.sqs-lane")).to_have_count(0)
    # Chromium reports every 4xx response on the console; htmx itself must add nothing.
    expect(page.get_by_role("heading", name="Amazon SQS simulator")).to_be_visible()
    assert len(page.console_errors) == 1
    assert "the server responded with a status of 400" in page.console_errors[0]
    page.console_errors.clear()


def test_play_moves_the_clock_until_paused(page):
    page.goto("/sims/sqs/")
    clock = page.locator("[data-clock]")
    expect(clock).to_have_text("00:00:00")
    page.get_by_label("Speed").select_option("60")
    page.get_by_role("button", name="Play").click()
    expect(page.locator(".sqs-playing")).to_have_text("playing at 60\N{MULTIPLICATION SIGN}")
    expect(clock).not_to_have_text("00:00:00")  # the first tick, about a second later
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("paused", exact=True)).to_be_visible()
    stopped = clock.inner_text()
    assert re.fullmatch(r"00:0\d:00", stopped)
