"""Web helpers every app shares: the typed htmx request and the client's network address."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@lru_cache(maxsize=1)
def _trusted_proxies(
    spec: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request) -> str:
    """The address to count a client's attempts under.

    REMOTE_ADDR, unless it is one of the proxies named in TRUSTED_PROXIES: then the nearest
    address in X-Forwarded-For that is not a trusted proxy (anything further left could be
    written by the client). IPv6 clients count per /64, the block one host usually holds.
    """
    proxies = _trusted_proxies(tuple(settings.TRUSTED_PROXIES))
    address = _parse(request.META.get("REMOTE_ADDR") or "")
    if address is not None and any(address in network for network in proxies):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            forwarded = _parse(hop)
            if forwarded is None:
                break
            address = forwarded
            if not any(forwarded in network for network in proxies):
                break
    if address is None:
        return "0.0.0.0"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
