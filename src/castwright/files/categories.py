"""File types and their categories: a fixed vocabulary with stable ids."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

__all__ = ["FILE_TYPES", "Category", "category_by_id", "category_for", "file_type_id"]

_NAMESPACE = uuid.UUID("0f4b9c6e-4d8a-4c55-9a4e-7b1f0c2d3e4f")

FILE_TYPES: dict[str, tuple[str, ...]] = {
    "audio": (
        "music",
        "voice",
        "speech",
        "mix",
        "sound-effect",
        "jingle",
        "consent",
        "podcast",
        "other",
    ),
    "video": ("advert", "clip", "other"),
    "image": ("cover", "logo", "other"),
    "document": ("script", "transcript", "other"),
    "other": ("other",),
}


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    file_type: str


def file_type_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"type/{name}"))


def _category_id(file_type: str, name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"category/{file_type}/{name.lower()}"))


_BY_ID = {
    _category_id(t, name): Category(_category_id(t, name), name, t)
    for t, names in FILE_TYPES.items()
    for name in names
}


def category_by_id(category_id: str) -> Category | None:
    return _BY_ID.get(category_id.lower())


def category_for(file_type: str, name: str) -> Category | None:
    """The category object for a free-text category (any text gets a stable id)."""
    if not name:
        return None
    return Category(_category_id(file_type, name), name, file_type)
