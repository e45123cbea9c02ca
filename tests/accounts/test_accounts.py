import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from studyapp.accounts.roles import INSTRUCTOR_GROUP, is_instructor
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_up_creates_a_learner_and_logs_them_in(client, django_user_model):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ana",
            "email": "ana@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = django_user_model.objects.get(username="ana")
    assert not is_instructor(user)
    assert client.get("/").context["user"] == user


def test_sign_up_with_mismatched_passwords_is_a_400_with_the_form(client, django_user_model):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ana",
            "email": "ana@example.com",
            "password1": PASSWORD,
            "password2": "other-password-1",
        },
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not django_user_model.objects.filter(username="ana").exists()


def test_log_in_and_log_out(client, learner):
    response = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == learner
    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_does_not_log_in(client, learner):
    response = client.post("/accounts/login/", {"username": "learner", "password": "nope"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_password_reset_sends_a_working_link(client, learner):
    response = client.post("/accounts/password_reset/", {"email": "learner@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    new_password = "an-entirely-new-passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new_password)


def test_instructor_role_is_a_group_grantable_in_the_admin(instructor, learner):
    assert Group.objects.filter(name=INSTRUCTOR_GROUP).exists()
    assert is_instructor(instructor)
    assert not is_instructor(learner)


def test_admin_shows_every_model(admin_client):
    from django.apps import apps
    from django.contrib import admin

    for model in apps.get_models():
        if model._meta.app_label.startswith(("notes", "accounts", "cards", "quizzes", "live")):
            assert admin.site.is_registered(model), model
    assert admin_client.get("/admin/notes/topic/").status_code == 200
    assert admin_client.get("/admin/notes/erratum/").status_code == 200


def test_logout_needs_post_with_csrf(learner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post("/accounts/logout/").status_code == 403


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(client, learner):
    for _ in range(10):
        wrong = client.post("/accounts/login/", {"username": "learner", "password": "nope"})
        assert wrong.status_code == 200
    locked = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts. Try again in" in locked.content.decode()
    assert not locked.context["user"].is_authenticated


def test_the_account_lock_holds_from_another_address_and_lifts_with_time(
    client, learner, time_machine
):
    from datetime import timedelta

    from django.test import Client

    time_machine.move_to("2026-12-01T10:00:00Z", tick=False)
    for _ in range(10):
        client.post("/accounts/login/", {"username": "LEARNER", "password": "nope"})
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    data = {"username": "learner", "password": PASSWORD}
    assert elsewhere.post("/accounts/login/", data).status_code == 429
    time_machine.shift(timedelta(minutes=31))
    assert elsewhere.post("/accounts/login/", data).status_code == 302


def test_right_passwords_do_not_count(client, learner):
    for _ in range(15):
        assert (
            client.post(
                "/accounts/login/", {"username": "learner", "password": PASSWORD}
            ).status_code
            == 302
        )
        client.post("/accounts/logout/")


def test_one_address_trying_many_accounts_is_limited(client, django_user_model):
    for number in range(50):
        client.post("/accounts/login/", {"username": f"user{number}", "password": "nope"})
    django_user_model.objects.create_user("fresh", "fresh@example.com", PASSWORD)
    response = client.post("/accounts/login/", {"username": "fresh", "password": PASSWORD})
    assert response.status_code == 429


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, learner, settings):
    from django.test import Client

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(50):
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9").post(
            "/accounts/login/", {"username": "someone", "password": "nope"}
        )
    behind_proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
    data = {"username": "learner", "password": PASSWORD}
    assert behind_proxy.post("/accounts/login/", data).status_code == 302
    # A client that writes the header itself, not through the proxy, is counted as itself.
    spoofer = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofer.post("/accounts/login/", data).status_code == 302


def test_parallel_failures_never_slip_past_the_limit(transactional_db, learner):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers (threads see 'table is locked'); PostgreSQL races")

    from studyapp.accounts import throttle

    def one(_):
        try:
            return throttle.attempt(throttle.LOGIN_ACCOUNT, "learner").allowed
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = list(pool.map(one, range(40)))
    assert sum(allowed) <= throttle.LOGIN_ACCOUNT.allowed


def test_sign_up_needs_an_email_no_other_account_uses(client, learner):
    data = {"username": "ana", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", data).status_code == 400
    taken = client.post("/accounts/signup/", {**data, "email": "Learner@Example.COM"})
    assert taken.status_code == 400
    assert "already exists" in taken.content.decode()


def test_a_reset_sends_one_link_even_if_old_accounts_share_the_address(
    client, learner, django_user_model
):
    django_user_model.objects.create_user("older", "LEARNER@example.com", PASSWORD)
    client.post("/accounts/password_reset/", {"email": "learner@example.com"})
    assert len(mail.outbox) == 1


def test_password_resets_are_limited_per_email(client, learner):
    for _ in range(3):
        assert (
            client.post("/accounts/password_reset/", {"email": "learner@example.com"}).status_code
            == 302
        )
    response = client.post("/accounts/password_reset/", {"email": "learner@example.com"})
    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_admin_lists_what_load_content_writes_without_editing_it(admin_client):
    for name in ("searchentry", "searchterm", "simulatorpreset"):
        assert admin_client.get(f"/admin/notes/{name}/").status_code == 200
        assert admin_client.get(f"/admin/notes/{name}/add/").status_code == 403
