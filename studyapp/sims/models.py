"""Simulator state in the database: one row per owner and simulator, its bulk in parts.

An owner is a signed-in learner (``user``) or an anonymous visitor (``visitor``, a random id
kept in their session). The state is the simulation's JSON split the way the engines split
theirs: a small ``head`` rewritten on every save, and keyed parts (messages, blocks of
records, log entries) written only when an action changed them. See ``state.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SimulatorState(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="simulator_states",
    )
    visitor = models.CharField(max_length=64, blank=True, default="")
    # An anonymous visitor's network address: their budgets are counted together.
    address = models.GenericIPAddressField(null=True, blank=True)
    simulator = models.CharField(max_length=32)
    # New on every save: a copy a process keeps in memory is current while this matches.
    stamp = models.CharField(max_length=32, blank=True, default="")
    head = models.TextField(default="")
    size = models.PositiveBigIntegerField(default=0)  # bytes stored: head and parts
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "simulator"],
                condition=Q(user__isnull=False),
                name="sims_state_one_per_learner",
            ),
            models.UniqueConstraint(
                fields=["visitor", "simulator"],
                condition=Q(user__isnull=True),
                name="sims_state_one_per_visitor",
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(visitor=""))
                | (Q(user__isnull=True) & ~Q(visitor="")),
                name="sims_state_has_one_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["address"], name="sims_state_address"),
            models.Index(fields=["updated_at"], name="sims_state_updated"),
        ]

    def __str__(self) -> str:
        who = f"user {self.user_id}" if self.user_id else f"visitor {self.visitor[:8]}…"
        return f"{self.simulator} of {who}"


class SimulatorPart(models.Model):
    state = models.ForeignKey(SimulatorState, on_delete=models.CASCADE, related_name="parts")
    key = models.CharField(max_length=300)
    data = models.BinaryField()  # JSON as UTF-8, zlib-compressed when ``packed``
    packed = models.BooleanField(default=False)
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state", "key"], name="sims_part_one_per_key")
        ]

    def __str__(self) -> str:
        return self.key
