"""File lifecycle: expired files are deleted or archived as asked, and nothing else is.

The sweep takes "now" as an argument, so these tests set the clock: files are uploaded with
TTLs of minutes or hours and the sweep is run, against the live server's own database and
blob store, at chosen instants. A second test lets the server's own scheduler do it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from castwright.carrierx.lifecycle import sweep
from castwright.db.base import utcnow
from castwright.runtime import Runtime, build_runtime
from support.carrierx import cx_error, cx_ok, delete_container, new_container, upload_raw


@pytest.fixture(scope="module")
def runtime(deployment: Any) -> Iterator[Runtime]:
    """The deployment's database and blob store, seen from the test process."""
    yield build_runtime(deployment.server.settings, with_queue=False)


def upload(cx: httpx.Client, sid: str, name: str, **fields: Any) -> dict[str, Any]:
    file: dict[str, Any] = upload_raw(
        cx, f"{name}\n".encode(), container_sid=sid, name=name, **fields
    )
    return file


def test_expired_files_are_deleted_or_archived_and_nothing_else(
    cx: httpx.Client, deployment: Any, runtime: Runtime
) -> None:
    container = new_container(cx)
    sid = container["container_sid"]
    try:
        start = utcnow()
        doomed = upload(cx, sid, "doomed.txt", lifecycle_ttl=60, lifecycle_action="delete")
        shelved = upload(cx, sid, "shelved.txt", lifecycle_ttl=60, lifecycle_action="archive")
        idle = upload(cx, sid, "idle.txt", lifecycle_ttl=60, lifecycle_action="no_action")
        forever = upload(cx, sid, "forever.txt", lifecycle_ttl=-1, lifecycle_action="delete")
        later = upload(cx, sid, "later.txt", lifecycle_ttl=7200, lifecycle_action="delete")
        confirmed = upload(cx, sid, "confirmed.txt", lifecycle_ttl=60, lifecycle_action="delete")
        # The blast-api app "confirms" a recording by clearing its TTL.
        cx_ok(cx.patch(f"/storage/files/{confirmed['file_sid']}", json={"lifecycle_ttl": -1}))

        early = sweep(runtime, now=start + timedelta(seconds=30))
        assert early.deleted == [] and early.archived == []

        done = sweep(runtime, now=start + timedelta(minutes=10))
        assert done.deleted == [doomed["file_sid"]]
        assert done.archived == [shelved["file_sid"]]
        for gone in (doomed, shelved):
            cx_error(cx.get(f"/storage/files/{gone['file_sid']}"), 404, "file_sid")
        assert httpx.get(doomed["publish_uri"]).status_code == 404
        kept = {idle["file_sid"], forever["file_sid"], later["file_sid"], confirmed["file_sid"]}
        listed = cx_ok(cx.get("/storage/files", params={"filter": f"container_sid eq {sid}"}))
        assert {f["file_sid"] for f in listed["items"]} == kept
        state = cx_ok(cx.get(f"/storage/containers/{sid}"))
        assert state["total_files"] == 4

        # Archived: out of the container, still in the organisation's library, bytes intact.
        library = httpx.Client(base_url=deployment.url, headers={"x-api-key": deployment.api_key})
        archived = library.get(f"/files/{shelved['file_sid']}").json()
        assert archived["fileId"] == shelved["file_sid"] and archived["status"] == "uploaded"
        folder = library.get("/folders", params={"path": f"carrierx-archive/{sid}"}).json()
        assert [f["fileId"] for f in folder["data"]["files"]] == [shelved["file_sid"]]
        assert httpx.get(archived["url"]).content == b"shelved.txt\n"
        assert library.get(f"/files/{doomed['file_sid']}").status_code == 404

        assert sweep(runtime, now=start + timedelta(minutes=10)).deleted == []  # idempotent
        assert sweep(runtime, now=start + timedelta(hours=3)).deleted == [later["file_sid"]]
    finally:
        delete_container(cx, sid)


def test_a_new_ttl_counts_from_when_it_was_set(cx: httpx.Client, runtime: Runtime) -> None:
    container = new_container(
        cx, default_file_lifecycle_ttl=60, default_file_lifecycle_action="delete"
    )
    sid = container["container_sid"]
    try:
        start = utcnow()
        file = upload(cx, sid, "renewed.txt")  # the container's defaults apply
        assert (file["lifecycle_ttl"], file["lifecycle_action"]) == (60, "delete")
        renewed_at = utcnow()
        cx_ok(cx.patch(f"/storage/files/{file['file_sid']}", json={"lifecycle_ttl": 600}))
        assert sweep(runtime, now=start + timedelta(seconds=120)).deleted == []
        result = sweep(runtime, now=renewed_at + timedelta(seconds=601))
        assert result.deleted == [file["file_sid"]]
    finally:
        delete_container(cx, sid)


def test_the_servers_own_scheduler_expires_files(tight: Any) -> None:
    """The tight server sweeps every 0.2 s with the real clock."""
    with tight.client() as client:
        container = new_container(client)
        sid = container["container_sid"]
        try:
            short = upload(client, sid, "short.txt", lifecycle_ttl=1, lifecycle_action="delete")
            stays = upload(client, sid, "stays.txt", lifecycle_ttl=1, lifecycle_action="no_action")
            deadline = time.monotonic() + 60  # a hang guard, far above one TTL and one sweep
            while client.get(f"/storage/files/{short['file_sid']}").status_code != 404:
                assert time.monotonic() < deadline, "the scheduler never expired the file"
                time.sleep(0.2)
            cx_ok(client.get(f"/storage/files/{stays['file_sid']}"))
        finally:
            delete_container(client, sid)
