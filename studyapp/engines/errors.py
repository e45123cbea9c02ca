"""The error every engine raises for a failed AWS action.

``code`` is the exception name of the service's API Reference (for example
``ConditionalCheckFailedException``), ``message`` says why. Extra fields are the other members
of the exception's shape (for example ``CancellationReasons`` of DynamoDB's
``TransactionCanceledException``); ``to_result()`` puts them beside ``Error``, where botocore
puts them in ``ClientError.response``.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failed action of a simulated AWS API."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.extra = extra

    def to_result(self) -> dict[str, Any]:
        """``{"Error": {"Code": ..., "Message": ...}}`` plus any extra fields of the shape."""
        return {"Error": {"Code": self.code, "Message": self.message}, **self.extra}
