"""What a process keeps in memory: the simulations it used last, each with the stamp of the
row it was loaded from or saved to (a copy is current while the row's stamp matches), and one
lock per owner, so that one owner's requests in a process run one after another."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings

MIB = 1024 * 1024


@dataclass
class Cached:
    stamp: str
    simulation: Any
    size: int
    part_sizes: dict[str, int]  # the stored size of each part: a save needs no query for them


CACHE: OrderedDict[int, Cached] = OrderedDict()
_LOCK = threading.Lock()
# One owner's actions run one at a time in a process (threads share the cached object).
OWNER_LOCKS = [threading.Lock() for _ in range(64)]


def cache_limits() -> tuple[int, int]:
    """(simulations, their stored bytes together) a process keeps at most."""
    return (
        getattr(settings, "SIMS_CACHE_ENTRIES", 64),
        getattr(settings, "SIMS_CACHE_BYTES", 128 * MIB),
    )


def cached(pk: int, stamp: str) -> Cached | None:
    """The simulation kept for a row, if it is the one the row's stamp names."""
    with _LOCK:
        entry = CACHE.get(pk)
        if entry is None or entry.stamp != stamp or not stamp:
            return None
        CACHE.move_to_end(pk)
        return entry


def remember(pk: int, stamp: str, simulation: Any, size: int, part_sizes: dict[str, int]) -> None:
    """Keep a simulation for a row (the least recently used go first)."""
    entries, total_bytes = cache_limits()
    with _LOCK:
        CACHE[pk] = Cached(stamp, simulation, size, part_sizes)
        CACHE.move_to_end(pk)
        while len(CACHE) > entries or (
            len(CACHE) > 1 and sum(e.size for e in CACHE.values()) > total_bytes
        ):
            CACHE.popitem(last=False)


def forget(pk: int | None = None) -> None:
    """Drop one simulation (or all of them) from this process's memory."""
    with _LOCK:
        if pk is None:
            CACHE.clear()
        else:
            CACHE.pop(pk, None)


@contextmanager
def one_at_a_time(owner: Any, simulator: str) -> Iterator[None]:
    """One owner's simulator is used by one thread of the process at a time."""
    lock = OWNER_LOCKS[hash((owner.user_id, owner.visitor, simulator)) % len(OWNER_LOCKS)]
    with lock:
        yield
