"""Published files: their public URI and the lookups of the unauthenticated ``/f/`` route.

``publish = file_sid`` is served at ``{publish_domain}/f/{file_sid}``; ``file_access_name`` at
``{publish_domain}/f/{container_sid}/{file_access_name}``; ``none`` nowhere. A container whose
``allow_publish`` is false publishes nothing, whatever its files say.
"""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy.orm import Session

from castwright.carrierx.repository import CarrierXRepository, FileRow
from castwright.errors import NotFound
from castwright.models.carrierx_container import CarrierXContainer
from castwright.models.carrierx_file import CarrierXFile

__all__ = ["PUBLIC_PREFIX", "find_published", "publish_uri"]

PUBLIC_PREFIX = "/f"


def publish_uri(record: CarrierXFile, container: CarrierXContainer) -> str | None:
    if not container.allow_publish:
        return None
    domain = container.publish_domain.rstrip("/")
    if record.publish == "file_sid":
        return f"{domain}{PUBLIC_PREFIX}/{record.file_sid}"
    if record.publish == "file_access_name":
        name = quote(record.file_access_name, safe="/")
        return f"{domain}{PUBLIC_PREFIX}/{container.id}/{name}"
    return None


def find_published(session: Session, path: str) -> FileRow:
    """The file a public path names, if it is published there; NotFound otherwise (a file
    that exists but is not published is indistinguishable from one that does not)."""
    repo = CarrierXRepository(session)
    first, _, rest = path.partition("/")
    if rest:
        row = repo.published_by_access_name(first, rest)
        wanted = "file_access_name"
    else:
        row = repo.published_file(first)
        wanted = "file_sid"
    if row is None or row.record.publish != wanted or not row.container.allow_publish:
        raise NotFound("Not Found", errors=["path: no published file here"])
    return row
