"""Shared fixtures: the cast of users and the real content, loaded once per test session."""

import pytest

# Django is imported inside the fixtures, so that the engine tests (tests/engines) also run
# without Django: `python -m pytest -p no:django tests/engines`.

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load content/ once: tests read the real notes, as a learner would."""
    from django.conf import settings

    from studyapp.authoring.loader import load_content

    with django_db_blocker.unblock():
        load_content(settings.CONTENT_DIR)


@pytest.fixture
def loaded_content(transactional_db):
    """For tests that flush the database (browser tests): load content/ again."""
    from django.conf import settings

    from studyapp.authoring.loader import load_content

    load_content(settings.CONTENT_DIR)


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("learner", "learner@example.com", PASSWORD)


@pytest.fixture
def other_learner(django_user_model):
    return django_user_model.objects.create_user("other", "other@example.com", PASSWORD)


@pytest.fixture
def instructor(django_user_model):
    from django.contrib.auth.models import Group

    from studyapp.accounts.roles import INSTRUCTOR_GROUP

    user = django_user_model.objects.create_user("teacher", "teacher@example.com", PASSWORD)
    # get_or_create: a transactional test before this one may have flushed the migration's group.
    group, _created = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    user.groups.add(group)
    return user
