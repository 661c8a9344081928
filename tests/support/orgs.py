"""A client of a brand-new organisation, so a test's dictionaries and speeches touch no other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from castwright.auth.service import create_key
from castwright.runtime import database_for

__all__ = ["fresh_org_client", "fresh_org_key"]


def fresh_org_key(deployment: Any) -> tuple[str, str]:
    """(organisation id, API key secret) of a new organisation on the deployment."""
    org_id = f"org-{uuid.uuid4().hex[:12]}"
    with database_for(deployment.server.settings).session() as session:
        _, secret = create_key(session, name="fresh-org", org_id=org_id)
    return org_id, secret


@contextmanager
def fresh_org_client(deployment: Any) -> Iterator[httpx.Client]:
    _, secret = fresh_org_key(deployment)
    with httpx.Client(base_url=deployment.url, headers={"x-api-key": secret}, timeout=120) as http:
        yield http
