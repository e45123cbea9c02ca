"""The SQL every simulator action runs on its owner's row: lock and read it, write the parts
that changed, drop the parts gone, write the head. Written once here, not built per call.

Every action (from a page, or an SDK call through /aws/) runs these statements, and building
and compiling the same querysets each time cost far more than running them: with the ORM an
SDK SendMessage took 4.2 ms of server time, 1.6 ms with these statements (and the key's,
accounts/apikeys.py), of which the database's own work is ~0.2 ms (benchmarks/awsapi_calls.py).
The statements are plain SQL that SQLite (3.24+) and PostgreSQL share, apart from how a row is
locked; names come from the models, values are always parameters. Rarer paths (creating the
row, budgets) stay in the ORM (state.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection

from .models import SimulatorPart, SimulatorState
from .owners import Owner

ROWS_PER_INSERT = 100  # rows (or keys) per statement: well under SQLite's parameter limit


@dataclass(frozen=True)
class Statements:
    """The SQL of one database vendor, for a learner's rows or a visitor's (``%s``: values)."""

    read: str  # the row, whether it expired, what the owner's other rows store
    read_for_update: str  # the same, locking the row (PostgreSQL)
    take_write_lock: str  # a no-op write to the owner's row (SQLite's database lock)
    insert_part: str  # INSERT of one part's values: a batch adds ", (%s, ...)" per further part
    on_conflict: str  # ... and overwrites the parts already stored
    delete_parts: str
    delete_some_parts: str  # "... AND key IN (": a batch adds its "%s, %s)"
    write_head: str  # anonymous rows also set address, the last value before the id


@cache
def _statements(vendor: str, learner: bool) -> Statements:
    """Built once per vendor and kind of owner (quoting names through the connection costs
    more than running a statement, done per call)."""
    q = connection.ops.quote_name
    state, part = q(SimulatorState._meta.db_table), q(SimulatorPart._meta.db_table)

    def owned(alias: str) -> str:
        if learner:
            return f"{alias}.{q('user_id')} = %s"
        return f"{alias}.{q('user_id')} IS NULL AND {alias}.{q('visitor')} = %s"

    read = (
        f"SELECT s.{q('id')}, s.{q('user_id')}, s.{q('stamp')}, s.{q('head')}, s.{q('size')}, "
        f"s.{q('user_id')} IS NULL AND s.{q('updated_at')} < %s, "
        f"(SELECT COALESCE(SUM(o.{q('size')}), 0) FROM {state} o "
        f"WHERE {owned('o')} AND o.{q('simulator')} <> %s) "
        f"FROM {state} s WHERE {owned('s')} AND s.{q('simulator')} = %s"
    )
    columns = ", ".join(q(c) for c in ("state_id", "key", "data", "packed", "size"))
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in ("data", "packed", "size"))
    head = ", ".join(f"{q(c)} = %s" for c in ("head", "size", "stamp", "updated_at"))
    if not learner:
        head += f", {q('address')} = %s"
    return Statements(
        read=read,
        read_for_update=read + " FOR UPDATE OF s",
        take_write_lock=f"UPDATE {state} SET {q('stamp')} = {q('stamp')} "
        f"WHERE {owned(state)} AND {q('simulator')} = %s",
        insert_part=f"INSERT INTO {part} ({columns}) VALUES (%s, %s, %s, %s, %s)",
        on_conflict=f" ON CONFLICT ({q('state_id')}, {q('key')}) DO UPDATE SET {updates}",
        delete_parts=f"DELETE FROM {part} WHERE {q('state_id')} = %s",
        delete_some_parts=f"DELETE FROM {part} WHERE {q('state_id')} = %s AND {q('key')} IN (",
        write_head=f"UPDATE {state} SET {head} WHERE {q('id')} = %s",
    )


def _sql(owner: Owner | None = None) -> Statements:
    return _statements(connection.vendor, owner is None or owner.user_id is not None)


def _whose(owner: Owner) -> object:
    return owner.user_id if owner.user_id is not None else owner.visitor


@dataclass
class Row:
    """What an action needs of the owner's row."""

    pk: int
    user_id: int | None
    stamp: str
    head: str
    size: int
    expired: bool  # anonymous and unused since the cutoff it was read with
    others_size: int | None  # what the owner's other simulators store (None: not read)


def read(owner: Owner, simulator: str, *, unused_since: datetime, lock: bool = False) -> Row | None:
    """The owner's row for the simulator, or None; with ``lock``, on PostgreSQL, locked until
    the transaction ends (``FOR UPDATE``: head and parts are read as one)."""
    sql = _sql(owner)
    locking = lock and connection.features.has_select_for_update
    cutoff = connection.ops.adapt_datetimefield_value(unused_since)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.read_for_update if locking else sql.read,
            [cutoff, _whose(owner), simulator, _whose(owner), simulator],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    pk, user_id, stamp, head, size, expired, others = found
    return Row(pk, user_id, stamp, head, size, bool(expired), int(others))


def locked_to_save(owner: Owner, simulator: str, *, unused_since: datetime) -> Row | None:
    """``read`` with the lock a save needs. SQLite has no row locks and takes the database's
    write lock only once a transaction writes: a no-op write comes first, so that a second
    action waits here instead of failing when it tries to save."""
    if not connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            cursor.execute(_sql(owner).take_write_lock, [_whose(owner), simulator])
    return read(owner, simulator, unused_since=unused_since, lock=True)


def write_parts(state_pk: int, parts: Iterable[tuple[str, bytes, bool, int]]) -> None:
    """Insert or overwrite parts, each (key, data, packed, size)."""
    sql = _sql()
    rows = list(parts)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            batch = rows[start : start + ROWS_PER_INSERT]
            further = ", (%s, %s, %s, %s, %s)" * (len(batch) - 1)
            cursor.execute(
                sql.insert_part + further + sql.on_conflict,
                [value for key, data, packed, size in batch
                 for value in (state_pk, key, data, packed, size)],
            )  # fmt: skip


def delete_parts(state_pk: int, keys: list[str] | None = None) -> None:
    """Delete the row's parts with these keys (all of them when ``keys`` is None)."""
    sql = _sql()
    with connection.cursor() as cursor:
        if keys is None:
            cursor.execute(sql.delete_parts, [state_pk])
            return
        for start in range(0, len(keys), ROWS_PER_INSERT):
            batch = keys[start : start + ROWS_PER_INSERT]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"{sql.delete_some_parts}{marks})", [state_pk, *batch])


def write_head(row: Row, *, now: datetime, address: str | None) -> None:
    """Store the row's head, size and stamp as ``row`` now holds them; an anonymous owner's
    row also its address."""
    ops = connection.ops
    params: list = [row.head, row.size, row.stamp, ops.adapt_datetimefield_value(now)]
    learner = row.user_id is not None
    if not learner:
        params.append(ops.adapt_ipaddressfield_value(address))
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor, learner).write_head, [*params, row.pk])
