"""Reading condition values: numbers, dates, IP addresses and ranges, base64.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import socket
from datetime import UTC, datetime

_EPOCH = re.compile(r"\s*-?\d+(\.\d+)?\s*").fullmatch
_INF = float("inf")
# Dotted-quad IPv4, optionally with a /prefix (no leading zeros, as Python's ipaddress).
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4_OK = re.compile(rf"\s*(?:{_OCTET}\.){{3}}{_OCTET}(?:/(?:3[0-2]|[12]?\d))?\s*").fullmatch

Network = tuple[int, int] | ipaddress.IPv6Network


def number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and -_INF < value < _INF else None


def parse_date(text: str) -> float | None:
    """ISO 8601 (``2019-07-16T12:00:00Z``, ``2019-07-16``) or epoch seconds, as epoch seconds."""
    if _EPOCH(text):
        return number(text)
    try:
        when = datetime.fromisoformat(text.strip().replace("z", "Z"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.timestamp()
    except (ValueError, OverflowError):
        return None


def network(text: str) -> Network | None:
    """A CIDR range or one address: (address, mask) for IPv4, an IPv6Network; None if bad."""
    if IPV4_OK(text):
        address, _, prefix = text.strip().partition("/")
        bits = 32 if not prefix else int(prefix)
        mask = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
        return int.from_bytes(socket.inet_pton(socket.AF_INET, address), "big") & mask, mask
    try:
        found = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv4Network):  # a netmask spelled out, for instance
        return int(found.network_address), int(found.netmask)
    return found


def in_networks(value: str, networks: list[Network]) -> bool:
    """Is the address ``value`` in one of the ranges? False when it is not an address."""
    text = value.strip()
    try:
        address = int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except (OSError, ValueError):
        address = None
    if address is not None:
        for n in networks:  # noqa: SIM110 - a loop is faster than any()
            if type(n) is tuple and address & n[1] == n[0]:
                return True
        return False
    try:
        v6 = ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(
        isinstance(n, ipaddress.IPv6Network) and v6.version == 6 and v6 in n for n in networks
    )


def binary(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text.encode("utf-8", "surrogatepass")


__all__ = ["IPV4_OK", "Network", "binary", "in_networks", "network", "number", "parse_date"]
