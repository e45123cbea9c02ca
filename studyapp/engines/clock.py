"""A virtual clock the engines share: time moves only when told to."""

from __future__ import annotations

from dataclasses import dataclass

# 2024-01-01T00:00:00Z: a fixed, whole-second start so that runs are reproducible.
DEFAULT_EPOCH = 1_704_067_200.0
# 9999-12-31T23:59:59Z, the last second a datetime can show: the clock goes no further, so
# that every moment stays a finite float with exact milliseconds (an Advance of 1e308 would
# otherwise make now_ms() overflow). Engines refuse a step that would pass it.
MAX_NOW = 253_402_300_799.0


@dataclass
class Clock:
    """Seconds since the Unix epoch, as a float; starts on a whole second."""

    _now: float = DEFAULT_EPOCH

    def now(self) -> float:
        return self._now

    def now_ms(self) -> int:
        return round(self._now * 1000)

    def headroom(self) -> float:
        """Seconds the clock can still move forward (up to MAX_NOW)."""
        return max(0.0, MAX_NOW - self._now)

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._now += seconds
        return self._now

    def advance_to(self, when: float) -> float:
        if when > self._now:
            self._now = when
        return self._now

    def to_dict(self) -> dict[str, float]:
        return {"now": self._now}

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> Clock:
        return cls(float(data["now"]))
