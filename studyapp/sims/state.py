"""Each owner's simulator state in the database, loaded and saved under a row lock.

An owner is a signed-in learner, or an anonymous visitor: a random id kept in their session
(signing in adopts what the visitor had). A simulation (see ``Simulation``) is saved the way
the engines split their state: a small head, rewritten on every save, plus keyed parts
written only when an action changed them, so that the cost of an action follows what it
changed, not what the owner has stored.

``edit()`` runs one action: it locks the owner's row (``SELECT ... FOR UPDATE``; on SQLite,
which has no row locks, a write that takes the database's write lock), so two tabs or two
app servers apply their actions one after the other and neither is lost. A process keeps the
simulations it used last in memory, each with the row's ``stamp``: a new stamp is written on
every save, so a copy whose stamp still matches is current, and any other is read again
from the database.

Budgets: stored bytes per owner (all their simulators together), smaller for anonymous
visitors, and for all anonymous visitors at one network address together. Anonymous state
that has not been used for ``ANONYMOUS_TTL`` counts as gone; ``manage.py expire_simulators``
deletes it.
"""

from __future__ import annotations

import json
import logging
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar, Protocol, Self

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import memory, rows
from .memory import forget
from .models import SimulatorPart, SimulatorState
from .owners import VISITOR_KEY, Owner, owner_of

__all__ = ["VISITOR_KEY", "Owner", "forget", "owner_of"]  # and what is defined here

logger = logging.getLogger(__name__)

MIB = 1024 * 1024
# Stored bytes are counted compressed, as stored: a full Kinesis stream (30,000 records of
# 100 bytes) takes about 1.2 MB, 2,000 small SQS messages about 0.75 MB, a random 1 MB
# message body about 0.8 MB.
ANONYMOUS_BYTES = 2 * MIB  # a visitor who is not signed in, all simulators together
SIGNED_IN_BYTES = 32 * MIB  # a signed-in learner, all simulators together
ADDRESS_BYTES = 32 * MIB  # all anonymous visitors at one network address together
ANONYMOUS_TTL = timedelta(hours=24)  # unused anonymous state is gone after this
PART_OVERHEAD = 64  # bytes counted per stored part besides its key and data (the row)
PACK_FROM = 1024  # parts of at least this many bytes are stored compressed


class Refused(Exception):
    """An action the simulator turns down before changing anything; the message says why."""


class BudgetExceeded(Refused):
    """Saving would take the owner past a storage budget; nothing was saved."""


class Simulation(Protocol):
    """What ``edit()`` and ``view()`` keep: a simulator's whole state, splittable in parts."""

    name: ClassVar[str]

    @classmethod
    def fresh(cls) -> Self:
        """What an owner with nothing stored sees."""

    @classmethod
    def from_parts(cls, head: dict[str, Any], parts: dict[str, Any]) -> Self:
        """The simulation ``to_parts`` gave; ValueError (or KeyError...) if unreadable."""

    def to_parts(self, *, changed: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """(head, parts); with ``changed``, only parts changed since the last call, a gone
        part as None."""


def join_parts(**groups: dict[str, Any]) -> dict[str, Any]:
    """The parts of a simulation's pieces (engine, log, ...) as one set of keys."""
    return {
        f"{name}:{key}": value for name, group in groups.items() for key, value in group.items()
    }


def split_parts(parts: dict[str, Any], *names: str) -> dict[str, dict[str, Any]]:
    """join_parts undone; ValueError for a part of no known piece."""
    groups: dict[str, dict[str, Any]] = {name: {} for name in names}
    for key, value in parts.items():
        name, _, rest = key.partition(":")
        if name not in groups:
            raise ValueError(f"unknown part {key!r}")
        groups[name][rest] = value
    return groups


# --- loading and saving ----------------------------------------------------------------------


@dataclass
class Opened:
    """The simulation ``edit()`` hands out; replace it, or say that nothing changed."""

    simulation: Any
    owner: Owner
    replaced: bool = False
    unchanged: bool = False
    stamp: str = ""  # the stored state's stamp: as opened, then as saved
    part_sizes: dict[str, int] = field(default_factory=dict)  # as stored, by part key

    def replace(self, simulation: Any) -> None:
        self.simulation = simulation
        self.replaced = True
        self.unchanged = False

    def nothing_changed(self) -> None:
        self.unchanged = True


def _unused_since():
    """Anonymous state not used since this moment counts as gone."""
    return timezone.now() - ANONYMOUS_TTL


def _row_for(owner: Owner, simulator: str) -> rows.Row:
    """The owner's row for the simulator, locked, created if need be (with it, what the
    owner's other simulators store: a save checks the budget without another query)."""
    row = rows.locked_to_save(owner, simulator, unused_since=_unused_since())
    if row is not None:
        return row
    try:
        with transaction.atomic():
            created = SimulatorState.objects.create(
                user_id=owner.user_id,
                visitor=owner.visitor,
                address=owner.address,
                simulator=simulator,
            )
        return rows.Row(created.pk, created.user_id, "", "", 0, False, None)
    except IntegrityError:  # created meanwhile by the owner's other tab
        row = rows.locked_to_save(owner, simulator, unused_since=_unused_since())
        assert row is not None
        return row


def _load(row: rows.Row, kind: type[Simulation]) -> tuple[Any, bool, dict[str, int]]:
    """(simulation, whether it is new, the stored size of each part): the stored one, or a
    fresh one if there is none."""
    if not row.stamp or row.expired:
        return kind.fresh(), True, {}
    try:
        head = json.loads(row.head)
        parts, sizes = {}, {}
        stored = SimulatorPart.objects.filter(state_id=row.pk)
        for key, data, packed, size in stored.values_list("key", "data", "packed", "size"):
            parts[key] = _decode(bytes(data), packed)
            sizes[key] = size
        return kind.from_parts(head, parts), False, sizes
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error) as error:
        # A state from an older version of the simulator, or damaged: start afresh.
        logger.warning(
            "sims: %s state %s could not be read (%s); starting afresh", kind.name, row.pk, error
        )
        return kind.fresh(), True, {}


def _encode(value: Any) -> tuple[bytes, bool]:
    data = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    if len(data) >= PACK_FROM:
        packed = zlib.compress(data, 1)
        if len(packed) < len(data):
            return packed, True
    return data, False


def _decode(data: bytes, packed: bool) -> Any:
    return json.loads(zlib.decompress(data) if packed else data)


def _part_size(key: str, data: bytes) -> int:
    return len(key) + len(data) + PART_OVERHEAD


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _save(row: rows.Row, opened: Opened) -> None:
    head, parts = opened.simulation.to_parts(changed=not opened.replaced)
    head_text = json.dumps(head, separators=(",", ":"), ensure_ascii=False)
    head_bytes = len(head_text.encode())
    written: list[tuple[str, bytes, bool, int]] = []  # key, data, packed, size
    gone: list[str] = []
    new_bytes = 0
    for key, value in parts.items():
        if value is None:
            gone.append(key)
            continue
        data, packed = _encode(value)
        size = _part_size(key, data)
        new_bytes += size
        written.append((key, data, packed, size))
    # Updated in place (a copy would cost as much as the parts): a save that fails drops the
    # process's copy of the simulation, these sizes with it (edit()).
    sizes = {} if opened.replaced else opened.part_sizes
    if opened.replaced:
        size = head_bytes + new_bytes
    else:
        old_bytes = sum(sizes.pop(key, 0) for key in gone)
        old_bytes += sum(sizes.get(key, 0) for key, *_rest in written)
        old_head = len(row.head.encode()) if row.head else 0
        size = row.size - old_head + head_bytes + new_bytes - old_bytes
    sizes.update((key, stored) for key, _data, _packed, stored in written)
    if size > row.size:
        _check_budget(opened.owner, row, size)
    if opened.replaced:
        rows.delete_parts(row.pk)
    elif gone:
        rows.delete_parts(row.pk, gone)
    rows.write_parts(row.pk, written)
    row.head, row.size, row.stamp = head_text, size, uuid.uuid4().hex
    rows.write_head(row, now=timezone.now(), address=opened.owner.address)
    opened.stamp = row.stamp
    opened.part_sizes = sizes
    memory.remember(row.pk, row.stamp, opened.simulation, size, sizes)


def budget(owner: Owner) -> int:
    """The bytes an owner may store, all their simulators together."""
    return SIGNED_IN_BYTES if owner.signed_in else ANONYMOUS_BYTES


def _check_budget(owner: Owner, row: rows.Row, size: int) -> None:
    others = row.others_size
    if others is None:  # a row created by this action
        others = owner.rows().exclude(pk=row.pk).aggregate(total=Sum("size"))["total"] or 0
    if others + size > budget(owner):
        if owner.signed_in:
            message = _(
                "This would store %(size)s of simulator state; a learner may keep at most "
                "%(max)s across the simulators. Reset a simulator, or delete messages or "
                "records, first."
            )
        else:
            message = _(
                "This would store %(size)s of simulator state; a visitor who is not signed in "
                "may keep at most %(max)s across the simulators. Reset a simulator, or delete "
                "messages or records, or sign in to keep up to %(more)s."
            )
        raise BudgetExceeded(
            message
            % {
                "size": _mib(others + size),
                "max": _mib(budget(owner)),
                "more": _mib(SIGNED_IN_BYTES),
            }
        )
    if owner.signed_in or not owner.address:
        return
    nearby = (
        SimulatorState.objects.filter(user=None, address=owner.address)
        .exclude(pk=row.pk)
        .aggregate(total=Sum("size"))["total"]
        or 0
    )
    if nearby + size > ADDRESS_BYTES:
        raise BudgetExceeded(
            _(
                "Visitors who are not signed in on your network already keep %(size)s of "
                "simulator state, the most the site allows. Sign in to go on, or try again "
                "tomorrow."
            )
            % {"size": _mib(nearby)}
        )


def _mib(size: int) -> str:
    return _("%(n)s MiB") % {"n": f"{size / MIB:.1f}"}


@contextmanager
def edit(owner: Owner, kind: type[Simulation]) -> Iterator[Opened]:
    """The owner's simulation, locked for one action and saved when the block ends, unless
    it says ``nothing_changed()`` or raises. Raises BudgetExceeded (nothing saved) when the
    saved state would exceed a budget."""
    with memory.one_at_a_time(owner, kind.name), transaction.atomic():
        row = _row_for(owner, kind.name)
        kept = memory.cached(row.pk, row.stamp) if not row.expired else None
        if kept is not None:
            opened = Opened(kept.simulation, owner, stamp=row.stamp, part_sizes=kept.part_sizes)
        else:
            opened = Opened(None, owner, stamp=row.stamp)
            opened.simulation, opened.replaced, opened.part_sizes = _load(row, kind)
        try:
            yield opened
        except Refused:
            if not opened.unchanged:
                memory.forget(row.pk)
            raise
        except BaseException:
            memory.forget(row.pk)
            raise
        if opened.unchanged:
            transaction.set_rollback(True)  # not even a new, empty row is kept
            return
        try:
            _save(row, opened)
        except BaseException:
            memory.forget(row.pk)
            raise


def stamp(owner: Owner | None, kind: type[Simulation]) -> str:
    """The stamp of the owner's stored state ("" for none): it changes with every save, so
    a page that knows it can ask cheaply whether anything (an SDK call, another tab)
    changed the simulation since."""
    if owner is None:
        return ""
    rows = owner.rows().filter(simulator=kind.name)
    return rows.values_list("stamp", flat=True).first() or ""


@contextmanager
def view(owner: Owner | None, kind: type[Simulation]) -> Iterator[Any]:
    """The owner's simulation to look at (nothing is saved); a fresh one if none is stored."""
    if owner is None:
        yield kind.fresh()
        return
    with memory.one_at_a_time(owner, kind.name):
        row = rows.read(owner, kind.name, unused_since=_unused_since())
        if row is None or not row.stamp or row.expired:
            yield kind.fresh()
            return
        kept = memory.cached(row.pk, row.stamp)
        if kept is not None:
            yield kept.simulation
            return
        with transaction.atomic():
            row = rows.read(owner, kind.name, unused_since=_unused_since(), lock=True)
            if row is None:
                simulation, new = kind.fresh(), True
            else:
                simulation, new, sizes = _load(row, kind)
            if row is not None and not new:
                memory.remember(row.pk, row.stamp, simulation, row.size, sizes)
        yield simulation


def expire(now=None) -> int:
    """Delete anonymous state unused for ANONYMOUS_TTL; returns how many simulators."""
    cutoff = (now or timezone.now()) - ANONYMOUS_TTL
    stale = list(
        SimulatorState.objects.filter(user=None, updated_at__lt=cutoff).values_list("pk", flat=True)
    )
    for pks in _chunks(stale):
        with transaction.atomic():
            SimulatorPart.objects.filter(state_id__in=pks).delete()
            SimulatorState.objects.filter(pk__in=pks).delete()
    return len(stale)
