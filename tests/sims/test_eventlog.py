"""The capped event log, stored one part per entry."""

from studyapp.sims.eventlog import EventLog


def test_entries_are_numbered_and_the_oldest_falls_off():
    log = EventLog(3)
    for name in "abcde":
        log.append({"action": name})
    assert [(e["n"], e["action"]) for e in log] == [(3, "c"), (4, "d"), (5, "e")]
    assert [e["action"] for e in log.newest_first()] == ["e", "d", "c"]
    assert log.last["n"] == 5


def test_parts_are_the_entries_and_saving_after_one_more_touches_two():
    log = EventLog(3)
    for name in "abc":
        log.append({"action": name})
    head, parts = log.to_parts(changed=True)
    assert head == {"next": 4, "limit": 3}
    assert sorted(parts) == ["1", "2", "3"]
    log.append({"action": "d"})
    _head, changes = log.to_parts(changed=True)
    assert changes == {"1": None, "4": {"n": 4, "action": "d"}}
    log.update_last(action="D")
    assert log.to_parts(changed=True)[1] == {"4": {"n": 4, "action": "D"}}
    assert log.to_parts(changed=True)[1] == {}


def test_from_parts_restores_the_log_and_its_numbering():
    log = EventLog(2)
    for name in "abc":
        log.append({"action": name})
    head, parts = log.to_parts(changed=False)
    again = EventLog.from_parts(head, parts)
    assert list(again) == list(log)
    assert again.to_parts(changed=True)[1] == {}
    assert again.append({"action": "d"})["n"] == 4


def test_what_a_page_makes_of_an_entry_is_made_once_until_it_changes():
    log = EventLog(2)
    made = []

    def make(entry):
        made.append(entry["n"])
        return entry["action"].upper()

    log.append({"action": "a"})
    assert [log.shown(e, make) for e in log] == ["A"]
    assert [log.shown(e, make) for e in log] == ["A"]
    log.update_last(action="b")
    assert [log.shown(e, make) for e in log] == ["B"]
    assert made == [1, 1]
    assert log.to_parts(changed=False)[1] == {"1": {"n": 1, "action": "b"}}  # not stored
