"""A reader's main flows in Chromium: home, a topic, search, the language switcher."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("loaded_content")


def test_open_home_then_a_topic_and_walk_to_the_next(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="The notes")).to_be_visible()
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
    expect(results.get_by_role("link", name="SQS Dead letter queue", exact=True)).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("dead|letter", re.I))
    # Typing in the page's own box updates the results in place (htmx).
    page.locator("#q").fill("kinesis shard")
    expect(results.get_by_role("link", name="Kinesis Data Stream", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="SQS Dead letter queue", exact=True)).to_have_count(0)


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


def test_navigation_shows_corrected_titles_and_the_notes_heading(page):
    page.goto("/")
    tree = page.locator(".topic-tree")
    expect(tree.get_by_role("link", name="IAM", exact=True)).to_be_visible()
    expect(tree.get_by_role("link", name="AIM", exact=True)).to_have_count(0)
    tree.get_by_role("link", name="CloudWatch", exact=True).click()
    expect(page).to_have_url(re.compile(r"/notes/cloudwath/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("CloudWatch")
    expect(page.get_by_text("(in the notes: CloudWath)")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^CloudWatch · "))
    crumbs = page.get_by_role("navigation", name="Breadcrumbs")
    expect(crumbs.get_by_role("link", name="AWS Monitoring")).to_be_visible()


def test_a_missing_figure_is_drawn_again(page):
    page.goto("/notes/sqs-message-visibility-timeout/")
    diagram = page.locator("img.diagram")
    expect(diagram).to_have_count(1)
    expect(diagram).to_be_visible()
    assert diagram.evaluate("image => image.complete && image.naturalWidth > 0")
    assert "visibility timeout" in diagram.get_attribute("alt")
    expect(page.locator(".missing-image")).to_have_count(0)


def test_search_forgives_misspellings_and_says_what_each_result_is(page):
    page.goto("/search/?q=cloudwath")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="CloudWatch", exact=True).first).to_be_visible()
    page.locator("#q").fill("ParallelizationFactor")
    expect(
        results.get_by_role("link", name=re.compile("Lambda event source mappings"))
    ).to_be_visible()
    card = results.locator("li.result-card").first
    expect(card.locator(".kind-badge")).to_have_text("Card")
    expect(card.get_by_role("link")).to_have_attribute("href", re.compile(r"^/cards/[\w-]+/$"))
    results.get_by_role("link", name=re.compile(r"\d+ cards?$")).click()
    expect(page).to_have_url(re.compile(r"kind=card"))
    expect(page.locator("#results li.result")).to_have_count(
        page.locator("#results li.result-card").count()
    )


PHONE_PAGES = [
    "/",
    "/notes/aim/",
    "/notes/kinesis-data-stream/",
    "/search/?q=instance+profile",
    "/guide/1.3/",
]


def test_reading_pages_fit_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    wide = {}
    for path in PHONE_PAGES:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    context.close()
    assert wide == {}
    assert errors == []


def test_a_topic_opens_the_simulator_preset_that_shows_it(page):
    page.goto("/notes/sqs-message-visibility-timeout/")
    links = page.locator(".sim-links")
    expect(links).to_contain_text("Try it in the simulator:")
    links.locator('[data-preset="sqs/visibility-too-short"]').click()
    expect(page).to_have_url(re.compile(r"/sims/sqs/\?preset=visibility-too-short$"))
    expect(page.locator("#sqs-preset-name")).to_have_value("visibility-too-short")
