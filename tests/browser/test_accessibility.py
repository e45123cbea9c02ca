"""axe-core (through axe-playwright-python) finds no serious or critical violation on the main
pages, at 1366 px and on a phone, nor on the simulators in a busy state.

Every page is a subtest, so each is reported on its own, with the rules it breaks and where.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_phone_layout import PHONE, busy, main_pages

pytestmark = pytest.mark.usefixtures("loaded_content")

WIDE = {"width": 1366, "height": 900}
BLOCKING = {"serious", "critical"}
AXE = Axe()


@contextmanager
def browser_context(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport=viewport,
        is_mobile=viewport == PHONE,
        has_touch=viewport == PHONE,
    )
    context.live_server = live_server
    try:
        yield context
    finally:
        context.close()


def blocking_violations(page) -> list[str]:
    """The serious and critical violations axe finds on the page, each with where it is."""
    found = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:4])
        for v in found
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366px", "390px"])
def test_no_serious_accessibility_violation_on_the_main_pages(
    browser, live_server, django_user_model, subtests, viewport
):
    with browser_context(browser, live_server, viewport) as context:
        page = context.new_page()
        for main in main_pages(page, django_user_model):
            with subtests.test(msg=main.name):
                response = page.goto(main.path)
                assert response is not None and response.ok, f"{main.path}: {response}"
                assert blocking_violations(page) == []
            if main.simulator and viewport == WIDE:
                with subtests.test(msg=f"{main.name}, busy"):
                    page.goto(main.path)
                    if not busy(page, main):
                        pytest.skip("no busy state known for this simulator")
                    assert blocking_violations(page) == []


def test_the_open_phone_menu_has_no_serious_accessibility_violation(browser, live_server):
    with browser_context(browser, live_server, PHONE) as context:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("button", name="Menu").click()
        assert blocking_violations(page) == []
