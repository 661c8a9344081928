"""Errors of the CarrierX domain that carry what CarrierX's error body reports."""

from __future__ import annotations

from castwright.errors import Conflict, NotFound

__all__ = ["ItemNotFound", "SidConflict"]


class ItemNotFound(NotFound):
    """An unknown SID in the path: CarrierX answers "Cannot find item by SID"."""

    def __init__(self, field: str, sid: str) -> None:
        super().__init__("Cannot find item by SID", errors=[f"{field}: {sid[:64]} not found"])


class SidConflict(Conflict):
    """A 409 naming the object it conflicts with (CarrierX's ``reference_sid``)."""

    def __init__(self, field: str, message: str, reference_sid: str | None) -> None:
        super().__init__("Conflict", errors=[f"{field}: {message}"])
        self.reference_sid = reference_sid
