"""Every page carries a Content-Security-Policy without inline or eval'd scripts, and a
Permissions-Policy; every page that answers GET answers HEAD."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["notes:home", "quizzes:practice", "cards:review", "sims:index", "live:join", "login"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_send_a_strict_script_policy(client, learner, name):
    client.force_login(learner)
    response = client.get(reverse(name))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_page_has_an_inline_script(client, learner):
    import re

    client.force_login(learner)
    for name in PAGES:
        body = client.get(reverse(name)).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag, f"{name}: inline script {tag}"
        assert not re.search(r"\son[a-z]+=", body), f"{name}: inline event handler"


@pytest.mark.parametrize("name", PAGES)
def test_head_is_answered_where_get_is(client, learner, name):
    client.force_login(learner)
    response = client.head(reverse(name))
    assert response.status_code == 200
    assert response.content == b""


def test_pages_are_compressed_for_clients_that_accept_gzip(client, learner):
    import gzip

    client.force_login(learner)
    plain = client.get(reverse("notes:guide"))
    packed = client.get(reverse("notes:guide"), headers={"Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
    body = gzip.decompress(packed.content).decode()
    assert body.count("data-task=") == plain.content.decode().count("data-task=") == 13
