"""Container rules: defaults, quotas, uniqueness, and admission of new content.

A container is a folder of the organisation's library (``carrierx/<container_sid>``) with a
``carrierx_container`` row holding its quotas and the defaults its files start with.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from castwright.carrierx.errors import ItemNotFound, SidConflict
from castwright.carrierx.fields import coerce_body, require_object
from castwright.carrierx.identity import partner_sid_for
from castwright.carrierx.listing import ListRequest, Page
from castwright.carrierx.repository import CarrierXRepository, ContainerRow, Totals
from castwright.carrierx.schema import (
    CONTAINER_FIELDS,
    CONTAINER_READ_ONLY,
    DEFAULT_QUOTA_BYTES,
    DEFAULT_QUOTA_FILES,
)
from castwright.db.base import new_id, utcnow
from castwright.errors import Invalid
from castwright.files.service import FileService
from castwright.models.carrierx_container import CarrierXContainer
from castwright.runtime import Runtime

__all__ = ["CONTAINER_ROOT", "ContainerService", "available_percent"]

CONTAINER_ROOT = "carrierx"  # library folder holding one folder per container

# What a field returns to on PUT when the body leaves it out (and its default on create).
_DEFAULTS: dict[str, Any] = {
    "allow_publish": True,
    "allowed_classifications": [],
    "blocked_classifications": [],
    "default_file_lifecycle_action": "no_action",
    "default_file_lifecycle_ttl": -1,
    "default_file_publish": "file_sid",
    "default_file_threshold_include": True,
    "default_file_unique": False,
    "integer_key_1": None,
    "integer_key_2": None,
    "name": "N/A",
    "parent_container_sid": None,
    "quota_bytes": DEFAULT_QUOTA_BYTES,
    "quota_files": DEFAULT_QUOTA_FILES,
    **{f"string_key_{n}": None for n in range(1, 5)},
    "threshold_action": None,
    "threshold_available_bytes_percent": None,
    "threshold_available_files_percent": None,
    "threshold_bytes": None,
    "threshold_bytes_target": None,
    "threshold_files": None,
    "threshold_files_target": None,
    "threshold_grace_period": 0,
    "unique": False,
}
# Checked and then not stored: they have a single possible value on this server.
_CHECK_ONLY = ("external_attributes", "partner_sid", "type")


def available_percent(quota: int, used: int) -> int:
    """floor(100 * (quota - used) / quota), never below 0 (the same formula as the SQL)."""
    if quota <= 0 or used >= quota:
        return 0
    return (quota - used) * 100 // quota


class ContainerService:
    def __init__(self, runtime: Runtime, session: Session, org_id: str, user_id: str = "") -> None:
        self.runtime = runtime
        self.session = session
        self.org_id = org_id
        self.repo = CarrierXRepository(session)
        self.library = FileService(runtime, session, org_id, user_id)

    # -- reading ---------------------------------------------------------------------------

    def get_row(self, sid: str) -> CarrierXContainer:
        container = self.repo.container(self.org_id, sid)
        if container is None:
            raise ItemNotFound("container_sid", sid)
        return container

    def get(self, sid: str) -> ContainerRow:
        container = self.get_row(sid)
        return ContainerRow(container, self.repo.totals(container.id))

    def list(self, request: ListRequest) -> Page[ContainerRow]:
        return self.repo.list_containers(self.org_id, request)

    # -- writing ---------------------------------------------------------------------------

    def create(self, body: Any) -> ContainerRow:
        values = coerce_body(require_object(body), CONTAINER_FIELDS, CONTAINER_READ_ONLY, "create")
        self._check_single_valued(values)
        limit = self.runtime.settings.carrierx.max_containers_per_partner
        if self.repo.container_count(self.org_id) >= limit:
            raise Invalid(f"a partner may have at most {limit} containers", field=None)
        fields = {**_DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
        container = CarrierXContainer(id=new_id(), org_id=self.org_id)
        fields["publish_domain"] = self._publish_domain(values.get("publish_domain"))
        self._apply(container, fields)
        folder = self.library.folders.ensure(f"{CONTAINER_ROOT}/{container.id}")
        container.folder_id = folder.id
        self.repo.add(container)
        return ContainerRow(container, Totals())

    def update(self, sid: str, body: Any, replace: bool) -> ContainerRow:
        """PATCH changes the fields given; PUT also returns the others to their defaults."""
        container = self.get_row(sid)
        values = coerce_body(require_object(body), CONTAINER_FIELDS, CONTAINER_READ_ONLY, "update")
        self._check_single_valued(values)
        fields = {**_DEFAULTS, **values} if replace else dict(values)
        if "publish_domain" in fields or replace:
            fields["publish_domain"] = self._publish_domain(fields.get("publish_domain"))
        self._apply(container, fields)
        container.updated_at = utcnow()
        self.session.flush()
        return ContainerRow(container, self.repo.totals(container.id))

    def delete(self, sid: str) -> None:
        """A container holding files is not deleted: the files would go with it unseen."""
        container = self.get_row(sid)
        totals = self.repo.totals(container.id)
        if totals.files:
            raise SidConflict(
                "container_sid",
                f"the container holds {totals.files} file(s); delete them first",
                container.id,
            )
        folder = self.library.folders.get(container.folder_id)
        self.repo.delete(container)
        self.library.delete_folder(folder)  # 409 if the library put other files there

    # -- rules -----------------------------------------------------------------------------

    def _apply(self, container: CarrierXContainer, fields: dict[str, Any]) -> None:
        for name in _CHECK_ONLY:
            fields.pop(name, None)
        if "parent_container_sid" in fields and fields["parent_container_sid"] is not None:
            parent = fields["parent_container_sid"]
            if parent == container.id or self.repo.container(self.org_id, parent) is None:
                raise Invalid(
                    "is not another container of this partner", field="parent_container_sid"
                )
        for name, value in fields.items():
            setattr(container, name, value)
        self._check_unique(container)

    def _check_unique(self, container: CarrierXContainer) -> None:
        """A unique container's name is held by it alone, whichever of the two is unique."""
        other_id = container.id if container in self.session else None
        if container.unique:
            clash = self.repo.container_named(self.org_id, container.name, other_id)
            if clash is not None:
                raise SidConflict("name", "another container already has this name", clash)
        clash = self.repo.unique_container_named(self.org_id, container.name, other_id)
        if clash is not None:
            raise SidConflict("name", "a unique container already has this name", clash)

    def _check_single_valued(self, values: dict[str, Any]) -> None:
        partner = values.get("partner_sid")
        if partner is not None and partner != partner_sid_for(self.org_id):
            raise Invalid("is not this partner or one it manages", field="partner_sid")
        if values.get("external_attributes"):
            raise Invalid("external storage is not offered; send {}", field="external_attributes")

    def _publish_domain(self, value: str | None) -> str:
        if value is None or value == "":
            configured = self.runtime.settings.carrierx.publish_domain
            return (configured or self.runtime.settings.effective_public_url).rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise Invalid("must be an http or https URL", field="publish_domain")
        return value.rstrip("/")
