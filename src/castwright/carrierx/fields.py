"""Write bodies of CarrierX objects: which fields exist, which are writable when, and types.

The contract's rules (section 3.2): integers may come as strings holding integers, booleans as
"true"/"false"; null on create means the default, on update it clears a nullable field and is a
422 for any other; read-only fields are ignored (a client may PUT back what it fetched); any
other unknown field is a 422 naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from castwright.errors import Invalid

__all__ = ["FieldSpec", "Mode", "coerce_body", "require_object"]

Mode = Literal["create", "update"]
Kind = Literal["str", "int", "bool", "str_list", "object"]

_INTEGER = re.compile(r"[+-]?\d{1,18}")
_MAX_INT = 2**63 - 1


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    nullable: bool = False
    create: bool = True  # writable on create
    update: bool = True  # writable on update
    choices: tuple[Any, ...] | None = None
    max_length: int = 255
    minimum: int | None = None
    alias_of: str | None = None  # another spelling of a field (quota_count -> quota_files)


def require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Invalid("the body must be a JSON object", field=None)
    return body


def coerce_body(
    body: Mapping[str, Any],
    specs: Mapping[str, FieldSpec],
    read_only: frozenset[str],
    mode: Mode,
) -> dict[str, Any]:
    """The writable fields present in ``body``, typed; null values are kept as None.

    On create a None means "the default", on update it means "clear" (checked here).
    """
    values: dict[str, Any] = {}
    for raw_name, raw in body.items():
        name = str(raw_name)
        spec = specs.get(name)
        if spec is None:
            if name in read_only:
                continue
            raise Invalid("unknown field", field=name[:100])
        target = spec.alias_of or name
        if spec.alias_of:
            spec = specs[spec.alias_of]
        if not (spec.create if mode == "create" else spec.update):
            if mode == "update":
                continue  # settable only on create: ignored afterwards, like read-only fields
            raise Invalid("cannot be set", field=name)
        if raw is None:
            if mode == "update" and not spec.nullable:
                raise Invalid("may not be null", field=name)
            values[target] = None
            continue
        values[target] = coerce_value(name, raw, spec)
    return values


def coerce_value(name: str, raw: Any, spec: FieldSpec) -> Any:
    value: Any
    if spec.kind == "int":
        value = _integer(name, raw)
        if spec.minimum is not None and value < spec.minimum:
            raise Invalid(f"must be at least {spec.minimum}", field=name)
    elif spec.kind == "bool":
        value = _boolean(name, raw)
    elif spec.kind == "str":
        if not isinstance(raw, str):
            raise Invalid("must be a string", field=name)
        if "\x00" in raw:
            raise Invalid("may not contain NUL characters", field=name)
        if len(raw) > spec.max_length:
            raise Invalid(f"is longer than {spec.max_length} characters", field=name)
        value = raw
    elif spec.kind == "str_list":
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise Invalid("must be a list of strings", field=name)
        value = list(dict.fromkeys(raw))
        if spec.choices is not None:
            for item in value:
                if item not in spec.choices:
                    raise Invalid(f"{item[:50]!r} is not one of {_listed(spec)}", field=name)
        return value
    else:
        if not isinstance(raw, dict):
            raise Invalid("must be an object", field=name)
        value = raw
    if spec.choices is not None and value not in spec.choices:
        raise Invalid(f"must be one of {_listed(spec)}", field=name)
    return value


def _listed(spec: FieldSpec) -> str:
    assert spec.choices is not None
    return ", ".join(str(choice) for choice in spec.choices)


def _integer(name: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise Invalid("must be an integer", field=name)
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        number = int(raw.strip())
    else:
        raise Invalid("must be an integer", field=name)
    if abs(number) > _MAX_INT:
        raise Invalid("is out of range", field=name)
    return number


def _boolean(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise Invalid("must be true or false", field=name)
