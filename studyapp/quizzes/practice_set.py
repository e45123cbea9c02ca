"""A practice set: ten questions in a row with a running score, then a summary.

Kept in the learner's session: it is a view of the answers already recorded (PracticeAnswer),
not a record of its own. A new filter starts a new set.
"""

from __future__ import annotations

from dataclasses import dataclass

SET_SIZE = 10
SESSION_KEY = "practice_set"


@dataclass
class PracticeSet:
    query: str
    answered: int = 0
    correct: int = 0
    missed: tuple[int, ...] = ()

    @property
    def done(self) -> bool:
        return self.answered >= SET_SIZE

    @property
    def size(self) -> int:
        return SET_SIZE


def current(session, query: str) -> PracticeSet:
    data = session.get(SESSION_KEY) or {}
    if data.get("query") != query:
        return PracticeSet(query)
    return PracticeSet(query, data["answered"], data["correct"], tuple(data["missed"]))


def record(session, query: str, *, question_id: int, correct: bool) -> PracticeSet:
    state = current(session, query)
    if state.done:
        state = PracticeSet(query)  # the answer after a summary starts the next set
    state.answered += 1
    state.correct += correct
    if not correct:
        state.missed = (*state.missed, question_id)
    session[SESSION_KEY] = {
        "query": query,
        "answered": state.answered,
        "correct": state.correct,
        "missed": list(state.missed),
    }
    return state


def restart(session) -> None:
    session.pop(SESSION_KEY, None)
