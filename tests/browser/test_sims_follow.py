"""A learner's own boto3 script and their simulator page, side by side: each SDK call shows
on the open page within seconds, without a reload (issue 17)."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from studyapp.accounts.apikeys import api_key_create


@pytest.mark.parametrize("width", [1366, 390])
def test_the_sqs_page_shows_what_an_sdk_script_does(page, live_server, learner, width):
    boto3 = pytest.importorskip("boto3")
    key, secret = api_key_create(user=learner)
    client = Client()
    client.force_login(learner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sims/sqs/")
    expect(page.get_by_role("heading", name="Queues")).to_be_visible()

    sqs = boto3.client(
        "sqs",
        endpoint_url=f"{live_server.url}/aws/",
        region_name="us-east-1",
        aws_access_key_id=key.access_key_id,
        aws_secret_access_key=secret,
    )
    try:
        url = sqs.create_queue(QueueName="from-my-script")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="hello from boto3")
    finally:
        sqs.close()

    panel = page.locator("#sqs-panel")
    expect(panel).to_contain_text("from-my-script")  # no reload: the page asked and got it
    expect(panel).to_contain_text(f"SDK {key.access_key_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
