"""Failed join-code attempts, limited per client IP.

Stored in the database, so every gunicorn worker and host sees the same count (the default
cache is per process). Only failures count: a classroom behind one NAT address joins freely.
The client IP is REMOTE_ADDR: behind a proxy, the proxy must set it (no X-Forwarded-For trust).
"""

import ipaddress
from datetime import datetime, timedelta

from django.utils import timezone

from .models import JoinFailure

MAX_FAILURES = 10
WINDOW = timedelta(minutes=10)


def client_ip(request) -> str:
    """The address failures are counted under: the IPv4 address, or the IPv6 /64 network.

    One IPv6 host usually holds a whole /64 (2**64 addresses): counting per address would let
    it try a new address for every guess.
    """
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR") or "0.0.0.0")
    except ValueError:
        return "0.0.0.0"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def join_blocked(*, ip: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return JoinFailure.objects.filter(ip=ip, at__gt=now - WINDOW).count() >= MAX_FAILURES


def join_failure_record(*, ip: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    JoinFailure.objects.filter(ip=ip, at__lte=now - WINDOW).delete()
    JoinFailure.objects.create(ip=ip, at=now)
