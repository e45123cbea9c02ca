"""What the parser reports: errors that stop it and warnings that do not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class PolicyError(ValueError):
    """Invalid input: a JSON syntax error (``line``, ``column``) or a grammar error (``path``)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.message} (line {self.line}, column {self.column})"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message

    def with_prefix(self, prefix: str) -> PolicyError:
        """The same error located inside a bigger document (``identity_policies[0]``)."""
        path = f"{prefix}.{self.path}" if self.path else prefix
        return PolicyError(self.message, path=path, line=self.line, column=self.column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
        }


@dataclass(frozen=True)
class PolicyWarning:
    """A legal but suspicious construct, like a linter's finding."""

    code: str
    message: str
    path: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "path": self.path}
