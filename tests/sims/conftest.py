"""Shared by the simulator tests: a clean process memory, and the state as stored."""

from __future__ import annotations

import pytest

from studyapp.sims import state


@pytest.fixture(autouse=True)
def clean_memory():
    """Every test starts with no simulation cached in the process."""
    state.forget()
    yield
    state.forget()


def owner_of_client(client) -> state.Owner | None:
    session = client.session
    user_id = session.get("_auth_user_id")
    if user_id:
        return state.Owner(int(user_id))
    visitor = session.get(state.VISITOR_KEY)
    return state.Owner(None, visitor) if visitor else None


def stored(client, kind):
    """The client's simulation as the database holds it (not a process's cached copy)."""
    state.forget()
    with state.view(owner_of_client(client), kind) as simulation:
        return simulation
