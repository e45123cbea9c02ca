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
