"""A reader's main flows in Chromium: home, a topic, search, the language switcher."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("loaded_content")


def test_open_home_then_a_topic_and_walk_to_the_next(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Topics")).to_be_visible()
    page.get_by_role("link", name="SQS Message Visibility Timeout").click()
    expect(page).to_have_url(re.compile(r"/notes/sqs-message-visibility-timeout/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("SQS Message Visibility Timeout")
    expect(page.locator(".erratum").first).to_be_visible()
    page.get_by_role("link", name=re.compile("SQS Dead letter queue")).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SQS Dead letter queue")


def test_table_of_contents_jumps_to_a_sub_heading(page):
    page.goto("/notes/7-aws-fundamentals-elb-asg/")
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Network Load Balancer (NLB)"
    ).click()
    expect(page).to_have_url(re.compile(r"#network-load-balancer-nlb$"))
    expect(page.locator("#network-load-balancer-nlb")).to_be_in_viewport()


def test_search_from_the_keyboard_shows_highlighted_results(page):
    page.goto("/")
    page.keyboard.press("/")
    expect(page.locator("#site-search")).to_be_focused()
    page.keyboard.type("dead letter")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=dead\+letter"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="SQS Dead letter queue")).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("dead|letter", re.I))
    # Typing in the page's own box updates the results in place (htmx).
    page.locator("#q").fill("kinesis shard")
    expect(results.get_by_role("link", name="Kinesis Data Stream")).to_be_visible()
    expect(results.get_by_role("link", name="SQS Dead letter queue")).to_have_count(0)


def test_switching_language_translates_the_interface(page):
    page.goto("/notes/sqs/")
    page.get_by_label("Language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/notes/sqs/$"))
    expect(
        page.get_by_role("navigation", name="Principal").get_by_role("link", name="Notas")
    ).to_be_visible()
    page.get_by_label("Idioma").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_unknown_page_shows_the_404_page(page):
    response = page.goto("/notes/does-not-exist/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    # The browser logs the document's own 404 status; that one is expected.
    page.console_errors.remove(
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    )
