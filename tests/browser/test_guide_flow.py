"""Studying by the exam guide in Chromium: the guide, a task, a guide page, its cards and
questions, and the AWS documentation behind an answer."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_quiz_flow import keys_ready, log_in

pytestmark = pytest.mark.usefixtures("loaded_content")


def test_exam_guide_to_a_task_to_a_guide_page_to_its_cards_and_questions(page, django_user_model):
    log_in(page, django_user_model, "guided")
    page.get_by_role("link", name="Exam guide").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The DVA-C02 exam guide")
    expect(page.locator("[data-task]")).to_have_count(13)
    page.get_by_role("link", name=re.compile(r"^1\.3 Use data stores")).click()
    expect(page).to_have_url(re.compile(r"/guide/1\.3/$"))
    page.get_by_role("link", name=re.compile("DynamoDB keys")).first.click()
    expect(page.get_by_text("Study guide", exact=True).first).to_be_visible()
    expect(page.get_by_role("navigation", name="Breadcrumbs")).to_contain_text("1.3")
    toc = page.get_by_role("navigation", name="On this page")
    expect(toc.get_by_role("link").first).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Review \d+ cards?$")).click()
    expect(page.locator(".flashcard")).to_be_visible()
    expect(page.locator("html[data-keys='review']")).to_be_attached()  # review.js is listening
    page.keyboard.press("Space")
    expect(page.locator(".card-back")).to_be_visible()
    expect(page.locator(".sources a").first).to_have_attribute(
        "href", re.compile(r"^https://(docs\.)?aws\.amazon\.com/")
    )

    page.go_back()
    page.go_back()
    page.get_by_role("link", name=re.compile(r"^Practice \d+ questions?$")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.3")
    keys_ready(page)
    page.keyboard.press("1")
    if page.locator("fieldset.choices").get_attribute("data-multiple") == "true":
        page.keyboard.press("2")
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_be_visible()
    expect(page.locator(".explanation .sources a").first).to_be_visible()
