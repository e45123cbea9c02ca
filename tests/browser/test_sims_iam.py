"""The IAM simulator in Chromium: presets, the lit flowchart, inline validation as you type."""

import re

from playwright.sync_api import expect

LIT = re.compile(r"\blit\b")


def load_preset(page, name):
    page.goto("/sims/iam/")
    page.get_by_label("Preset", exact=True).select_option(name)
    expect(page).to_have_url(re.compile(rf"preset={name}"))
    expect(page.locator("#iam-preset-title")).to_be_visible()


def test_explicit_deny_wins_lights_the_first_step(page):
    load_preset(page, "explicit-deny-wins")
    expect(page.locator("#id_identity_1")).to_have_value(re.compile("NoDeletes"))
    page.get_by_role("button", name="Evaluate").click()

    result = page.locator("#iam-result")
    expect(result.locator(".iam-decision-label")).to_have_text("Explicit deny")
    expect(result.get_by_role("cell", name="NoDeletes")).to_be_visible()
    expect(page.locator("#flow-explicit-deny")).to_have_class(LIT)
    expect(page.locator("#flow-final-ExplicitDeny")).to_have_class(LIT)
    expect(page.locator("#flow-scp")).not_to_have_class(LIT)
    expect(page.locator("#flow-final-Allow")).not_to_have_class(LIT)
    expect(result.locator("ol > li.trace-step")).to_have_count(1)
    expect(page.locator("#iam-result")).to_have_attribute("aria-live", "polite")


def test_scp_blocks_region_and_the_share_link_restores_it(page):
    load_preset(page, "scp-blocks-region")
    expect(page.locator("#id_scp_1")).to_have_value(re.compile("DenyAllOutsideEU"))
    page.get_by_role("button", name="Evaluate").click()

    result = page.locator("#iam-result")
    expect(result.locator("[data-decision]")).to_have_attribute("data-decision", "ExplicitDeny")
    expect(
        result.get_by_text("This is the decision AWS documents for this preset.")
    ).to_be_visible()
    expect(page.locator("#flow-explicit-deny")).to_have_class(LIT)
    expect(page.locator("#edge-explicit-deny-stop")).to_have_class(LIT)
    expect(result.get_by_role("cell", name="DenyAllOutsideEU")).to_be_visible()

    # Another Region: now every SCP level allows and the administrator's policy decides.
    page.get_by_label("Context keys (a JSON object)").fill('{"aws:RequestedRegion": "eu-west-1"}')
    page.get_by_role("button", name="Evaluate").click()
    expect(result.locator(".iam-decision-label")).to_have_text("Allow")
    expect(page.locator("#flow-scp")).to_have_class(LIT)
    expect(page.locator("#flow-final-Allow")).to_have_class(LIT)
    expect(page.locator("#edge-session-allow")).to_have_class(LIT)

    share = page.locator("#iam-share-url").input_value()
    page.goto(share)
    expect(page.locator(".iam-decision-label")).to_have_text("Allow")
    expect(page.get_by_label("Context keys (a JSON object)")).to_have_value(re.compile("eu-west-1"))


def test_a_syntax_error_is_reported_as_you_type(page):
    load_preset(page, "identity-policy-allows")
    editor = page.locator("#id_identity_0")
    check = page.locator("#id_identity_0-check")
    expect(check.locator(".iam-ok")).to_have_text("Valid policy, 1 statement.")
    editor.fill(
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}'
    )
    editor.press("End")  # a keyup: the editor is checked once typing pauses
    expect(check.locator(".iam-error")).to_contain_text("line 4, column 24")
    expect(check.locator(".iam-error")).to_contain_text("invalid JSON")
    expect(check.locator(".hll")).to_have_count(1)

    editor.fill('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}')
    editor.press("End")
    expect(check.locator(".iam-ok")).to_have_text("Valid policy, 1 statement.")
    expect(check.locator(".iam-warnings li")).to_have_count(2)


def test_evaluating_a_broken_policy_lists_the_problem(page):
    load_preset(page, "explicit-deny-wins")
    page.locator("#id_identity_0").fill(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Perhaps"}]}'
    )
    page.get_by_role("button", name="Evaluate").click()
    problems = page.locator(".iam-problems")
    expect(problems).to_contain_text("Statement[0].Effect")
    expect(problems.get_by_role("link", name="Identity-based policy 1")).to_be_visible()
    # Chromium logs the 400 answer; that one is expected.
    page.console_errors[:] = [e for e in page.console_errors if "400" not in e]


def test_add_an_identity_policy(page):
    page.goto("/sims/iam/")
    page.get_by_role("button", name="Add an identity-based policy").click()
    expect(page.get_by_label("Identity-based policy 2")).to_be_focused()


def test_the_page_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/sims/iam/")
        page.get_by_label("Preset", exact=True).select_option("scp-every-level-must-allow")
        page.get_by_role("button", name="Load").click()
        expect(page).to_have_url(re.compile(r"preset=scp-every-level-must-allow"))
        page.get_by_role("button", name="Evaluate").click()
        expect(page.locator(".iam-decision-label")).to_have_text("Implicit deny")
        expect(page.locator("#flow-scp")).to_have_class(LIT)
        expect(page.locator("#flow-final-ImplicitDeny")).to_have_class(LIT)
    finally:
        context.close()


TRAILING_COMMA = (
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
    '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},\n  ]\n}'
)
MISSPELT_EFFECT = (
    '{"Version": "2012-10-17", "Statement": [{"Efect": "Allow", "Action": "*", "Resource": "*"}]}'
)


def evaluate_broken_policies(page):
    """Break two editors (a trailing comma, "Efect"), press Evaluate, and check that the page,
    its styling and every typed policy are still there, each error beside its editor."""
    second = page.locator("#id_identity_1").input_value()
    page.locator("#id_identity_0").fill(TRAILING_COMMA)
    page.locator("details.iam-group summary").first.click()  # open the resource-based policy
    page.locator("#id_resource_policy").fill(MISSPELT_EFFECT)
    page.get_by_role("button", name="Evaluate").click()

    expect(page.locator(".iam-problems")).to_contain_text("The scenario cannot be evaluated")
    expect(page.get_by_role("heading", name="IAM policy evaluation", level=1)).to_be_visible()
    expect(page.locator("#id_identity_0")).to_have_value(TRAILING_COMMA)
    expect(page.locator("#id_identity_1")).to_have_value(second)
    expect(page.locator("#id_resource_policy")).to_have_value(MISSPELT_EFFECT)
    expect(page.locator("#id_identity_0-check .iam-error")).to_contain_text("line 5, column 3")
    expect(page.locator("#id_identity_0-check .hll")).to_have_count(1)
    expect(page.locator("#id_resource_policy-check .iam-error")).to_contain_text(
        "Statement[0].Efect"
    )
    expect(page.locator("#id_identity_1-check .iam-ok")).to_be_visible()
    # Still styled: the site's header and the simulator's own stylesheet apply.
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.locator(".iam-problems")).to_have_css("border-top-width", "2px")


def test_evaluating_a_syntax_error_keeps_the_page_and_the_editors(page, settings):
    # DEBUG on, as with `make run`: django-htmx's debug script then replaces the whole page
    # with the answer to an htmx request that gets a 400 (the bug of issue #14, item 3).
    settings.DEBUG = True
    load_preset(page, "explicit-deny-wins")
    evaluate_broken_policies(page)
    expect(page).to_have_url(re.compile(r"/sims/iam/\?preset=explicit-deny-wins"))
    page.console_errors[:] = [e for e in page.console_errors if "400" not in e]


def test_a_plain_form_post_with_a_syntax_error_keeps_the_page_and_the_editors(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/sims/iam/?preset=explicit-deny-wins")
        evaluate_broken_policies(page)
    finally:
        context.close()
