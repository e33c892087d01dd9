"""Errors services raise; views turn them into messages, never into server errors."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """The request is understood but cannot be carried out; ``message`` says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    """The policy refused. Views show this as 'not found' where existence must not leak."""


class Conflict(ServiceError):
    """Someone else saved first. ``current`` is what is stored now, ``mine`` what was submitted."""

    def __init__(self, message: str, *, current: dict[str, Any], mine: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current
        self.mine = mine
