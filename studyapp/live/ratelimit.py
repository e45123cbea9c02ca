"""Failed join-code attempts, limited per client IP.

Stored in the database, so every gunicorn worker and host sees the same count (the default
cache is per process). Only failures count: a classroom behind one NAT address joins freely.
The client IP is REMOTE_ADDR: behind a proxy, the proxy must set it (no X-Forwarded-For trust).
"""

from datetime import datetime, timedelta

from django.utils import timezone

from .models import JoinFailure

MAX_FAILURES = 10
WINDOW = timedelta(minutes=10)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def join_blocked(*, ip: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return JoinFailure.objects.filter(ip=ip, at__gt=now - WINDOW).count() >= MAX_FAILURES


def join_failure_record(*, ip: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    JoinFailure.objects.filter(ip=ip, at__lte=now - WINDOW).delete()
    JoinFailure.objects.create(ip=ip, at=now)
