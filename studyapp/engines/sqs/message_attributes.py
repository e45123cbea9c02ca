"""Message attributes (Developer Guide, "Amazon SQS message attributes", sqs-message-metadata).

At most 10 a message. A name has up to 256 characters A-Z a-z 0-9 _ - ., does not start
with AWS. or Amazon. (in any casing), does not start or end with a period nor have two in a
row; the type is String, Number or Binary, optionally with a custom label (Number.int,
Binary.png); name, type and value must not be empty; a String value has the body's allowed
characters, a Number value is a number (up to 38 digits, 10^-128 to 10^+126). Name, type and
value count toward the message size. A Binary value is bytes, or base64 text as the JSON
protocol carries it; it is kept as base64 text.

``md5`` is the digest SendMessage and ReceiveMessage return as MD5OfMessageAttributes, by the
guide's "Calculating the MD5 message digest for message attributes".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any

from .errors import INVALID_PARAMETER_VALUE, SqsError, invalid_parameter

MAX_ATTRIBUTES = 10
# API Reference, SendMessage: the only characters a message body (and so a String attribute
# value, and a data type) may contain.
BAD_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
STRING_TRANSPORT, BINARY_TRANSPORT = 1, 2


def check(message_attributes: Any) -> tuple[dict[str, dict[str, str]] | None, int]:
    """The attributes as kept (only DataType and the value; Binary as base64 text) and the
    bytes they count toward the message size; InvalidParameterValue if any rule is broken."""
    if not message_attributes:
        return None, 0
    if not isinstance(message_attributes, dict) or len(message_attributes) > MAX_ATTRIBUTES:
        raise invalid_parameter(
            "MessageAttributes", "...", "A message can have at most 10 message attributes."
        )
    kept: dict[str, dict[str, str]] = {}
    size = 0
    for name, value in message_attributes.items():
        _check_name(name)
        if not isinstance(value, dict) or "DataType" not in value:
            raise invalid_parameter(
                "MessageAttributes", name, "Each message attribute needs a DataType and a value."
            )
        data_type = value["DataType"]
        data = _check_value(name, data_type, value)
        size += len(name) + len(data_type.encode())
        if isinstance(data, bytes):
            size += len(data)
            kept[name] = {"DataType": data_type, "BinaryValue": base64.b64encode(data).decode()}
        else:
            size += len(data.encode())
            kept[name] = {"DataType": data_type, "StringValue": data}
    return kept, size


def md5(attributes: dict[str, dict[str, str]]) -> str:
    """MD5OfMessageAttributes: for each attribute, sorted by name, the length (4 bytes) and
    UTF-8 bytes of the name, then of the data type, the transport type (1 byte: 1 for String
    and Number, 2 for Binary), and the length and bytes of the value."""
    encoded = bytearray()
    for name in sorted(attributes):
        value = attributes[name]
        data_type = value["DataType"]
        if "BinaryValue" in value:
            transport, data = BINARY_TRANSPORT, base64.b64decode(value["BinaryValue"])
        else:
            transport, data = STRING_TRANSPORT, value["StringValue"].encode()
        for part in (name.encode(), data_type.encode()):
            encoded += len(part).to_bytes(4, "big") + part
        encoded.append(transport)
        encoded += len(data).to_bytes(4, "big") + data
    return hashlib.md5(encoded, usedforsecurity=False).hexdigest()


def _binary(name: str, data: Any) -> bytes:
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    if isinstance(data, str):
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            pass
    raise invalid_parameter(
        "MessageAttributes",
        name,
        f"The BinaryValue of {name} must be binary data (base64 text in JSON).",
    )


_ATTRIBUTE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,256}")
_RESERVED_PREFIXES = ("aws.", "amazon.")
_DATA_TYPE = re.compile(r"(String|Number|Binary)(\..+)?", re.DOTALL)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not _ATTRIBUTE_NAME.fullmatch(name):
        raise invalid_parameter(
            "MessageAttributes",
            name,
            "A message attribute name has 1 to 256 characters: A-Z, a-z, 0-9, underscore, "
            "hyphen and period.",
        )
    if name.lower().startswith(_RESERVED_PREFIXES):
        raise invalid_parameter(
            "MessageAttributes",
            name,
            "Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use "
            "by Amazon.",
        )
    if name.startswith(".") or name.endswith(".") or ".." in name:
        raise invalid_parameter(
            "MessageAttributes",
            name,
            "A message attribute name must not start or end with a period, or have periods "
            "in succession.",
        )


def _check_value(name: str, data_type: Any, value: dict[str, Any]) -> str | bytes:
    """The attribute's value (its StringValue or BinaryValue), checked against its type."""
    if (
        not isinstance(data_type, str)
        or len(data_type) > 256
        or not _DATA_TYPE.fullmatch(data_type)
        or BAD_CHARACTER.search(data_type)
    ):
        raise invalid_parameter(
            "MessageAttributes",
            name,
            f"The type of message attribute {name} is invalid: it is String, Number or Binary, "
            "optionally followed by a custom label (for example Number.int).",
        )
    binary = data_type.startswith("Binary")
    key = "BinaryValue" if binary else "StringValue"
    data = value.get(key)
    if data is None or data == "" or data == b"":
        raise invalid_parameter(
            "MessageAttributes",
            name,
            f"Message attribute {name} must contain a non-empty {key} for its type {data_type}.",
        )
    if binary:
        return _binary(name, data)
    if not isinstance(data, str) or BAD_CHARACTER.search(data):
        raise SqsError(
            INVALID_PARAMETER_VALUE,
            f"Message attribute {name} value contains invalid characters: a StringValue has "
            "the characters a message body allows.",
        )
    if data_type.startswith("Number") and not _valid_number(data):
        raise invalid_parameter(
            "MessageAttributes",
            name,
            f"Can't cast the value of message attribute {name} to a number: a Number has up "
            "to 38 digits of precision, from 10^-128 to 10^+126.",
        )
    return data


def _valid_number(text: str) -> bool:
    if not _NUMBER.fullmatch(text):
        return False
    mantissa = re.split("[eE]", text)[0].lstrip("+-")
    digits = mantissa.replace(".", "").strip("0")
    if not digits:
        return True  # zero
    if len(digits) > 38:
        return False
    value = abs(float(text))  # no inf or nan by the pattern; too large or small -> inf or 0
    return 1e-128 <= value <= 1e126
