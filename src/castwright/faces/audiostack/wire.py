"""Request-body conventions shared by every AudioStack route.

The official SDK prunes empty values and other clients send nulls, so absent, null, "", {} and
[] all mean "use the default"; unknown keys are ignored; numeric strings are numbers.
JSON escapes can spell unpaired surrogates, which are not text at all: such a body is invalid.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["WireModel", "parse_bool"]

_EMPTY: tuple[Any, ...] = ("", None)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_empty(value: Any) -> bool:
    return value in _EMPTY or (isinstance(value, dict | list) and not value)


def _has_surrogate(data: Any) -> bool:
    """Any string (key or value, at any depth) holding an unpaired surrogate; no recursion."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        if _has_surrogate(data):
            # Neither storable nor printable as UTF-8; reported like any other invalid JSON.
            raise PydanticCustomError("json_invalid", "unpaired surrogate in a string")
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not _is_empty(v)}
        return data


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def parse_bool(value: str | None, default: bool, field: str) -> bool:
    """Query booleans arrive as Python's str(bool): 'True'/'False', or true/1/yes."""
    from castwright.errors import Invalid

    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise Invalid("must be a boolean (true or false)", field=field)
