"""The API access page in Chromium, at a desktop and a phone width: create, edit, revoke."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD


@pytest.mark.parametrize("width", [1366, 390])
def test_create_a_key_see_it_once_narrow_its_policy_and_revoke_it(page, django_user_model, width):
    page.set_viewport_size({"width": width, "height": 900})
    django_user_model.objects.create_user("coder", password=PASSWORD)
    page.goto("/accounts/login/?next=/api-access/")
    page.get_by_label("Username").fill("coder")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="API access")).to_be_visible()

    page.get_by_role("button", name="Create an access key").click()
    secret = page.locator("#new-key ~ p + pre, section[aria-labelledby=new-key] pre")
    expect(secret).to_contain_text(re.compile(r"AWS_SECRET_ACCESS_KEY=\S{40}"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto("/api-access/")
    expect(page.get_by_text("AWS_SECRET_ACCESS_KEY")).to_have_count(0)  # shown once only
    page.get_by_label("Identity-based policy (JSON)").fill('{"Statement": [')
    page.get_by_role("button", name="Save the policy").click()
    expect(page.get_by_role("alert")).to_contain_text("was not saved")
    # The refused policy is a 400 page, which Chromium reports as a failed resource.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    page.console_errors.clear()

    page.get_by_role("button", name="Revoke this key").click()
    expect(page.get_by_text("You have no active key.")).to_be_visible()
    expect(page.get_by_role("heading", name="Revoked keys")).to_be_visible()
