"""Storage containers: defaults, coercion, updates, uniqueness, deletion, lists, limits."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from support.carrierx import (
    cx_error,
    cx_ok,
    delete_container,
    is_uuid,
    new_container,
    upload_raw,
)

DEFAULTS = {
    "allow_publish": True,
    "allowed_classifications": [],
    "available_bytes_percent": 100,
    "available_files_percent": 100,
    "blocked_classifications": [],
    "default_file_lifecycle_action": "no_action",
    "default_file_lifecycle_ttl": -1,
    "default_file_publish": "file_sid",
    "default_file_threshold_include": True,
    "default_file_unique": False,
    "durability_class": "unassigned",
    "encrypted": False,
    "external_attributes": {},
    "integer_key_1": None,
    "integer_key_2": None,
    "name": "N/A",
    "parent_container_sid": None,
    "quota_bytes": 1073741824,
    "quota_files": 100,
    "string_key_1": None,
    "string_key_2": None,
    "string_key_3": None,
    "string_key_4": None,
    "threshold_action": None,
    "threshold_available_bytes_percent": None,
    "threshold_available_files_percent": None,
    "threshold_bytes": None,
    "threshold_bytes_target": None,
    "threshold_files": None,
    "threshold_files_target": None,
    "threshold_grace_period": 0,
    "threshold_total_bytes": 0,
    "threshold_total_files": 0,
    "total_bytes": 0,
    "total_files": 0,
    "type": "internal",
    "unique": False,
}


def test_an_empty_body_creates_a_container_with_the_documented_defaults(
    cx: httpx.Client, deployment: Any
) -> None:
    made = cx_ok(cx.post("/storage/containers", json={}))  # 200, not 201: documented
    try:
        assert {k: made[k] for k in DEFAULTS} == DEFAULTS
        assert set(made) == {*DEFAULTS, "container_sid", "partner_sid", "publish_domain"}
        assert is_uuid(made["container_sid"]) and is_uuid(made["partner_sid"])
        assert made["publish_domain"] == deployment.url  # the server's public URL by default
        fetched = cx_ok(cx.get(f"/storage/containers/{made['container_sid']}"))
        assert fetched == made
    finally:
        delete_container(cx, made["container_sid"])


def test_values_are_coerced_as_clients_send_them(cx: httpx.Client) -> None:
    # The Ruby gem sends "unique": "false" and nulls; the Python client sends quota_count.
    made = new_container(
        cx,
        unique="false",
        quota_count="7",
        quota_bytes="5000",
        integer_key_1="39984",
        string_key_2=None,
        total_bytes=12345,  # read-only: ignored, not an error
        allow_publish="false",
    )
    try:
        assert made["unique"] is False and made["allow_publish"] is False
        assert (made["quota_files"], made["quota_bytes"], made["integer_key_1"]) == (7, 5000, 39984)
        assert made["string_key_2"] is None and made["total_bytes"] == 0
    finally:
        delete_container(cx, made["container_sid"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "blue"}, "colour"),
        ({"quota_bytes": "lots"}, "quota_bytes"),
        ({"quota_files": -1}, "quota_files"),
        ({"unique": "maybe"}, "unique"),
        ({"default_file_lifecycle_action": "explode"}, "default_file_lifecycle_action"),
        ({"default_file_publish": "everywhere"}, "default_file_publish"),
        ({"allowed_classifications": ["media", "pictures"]}, "allowed_classifications"),
        ({"external_attributes": {"bucket": "s3://x"}}, "external_attributes"),
        ({"type": "external"}, "type"),
        ({"partner_sid": "00000000-0000-4000-8000-000000000000"}, "partner_sid"),
        ({"publish_domain": "ftp://files.example.org"}, "publish_domain"),
        ({"parent_container_sid": "00000000-0000-4000-8000-000000000000"}, "parent_container_sid"),
        ({"name": 42}, "name"),
    ],
)
def test_bad_fields_are_422_naming_the_field(
    cx: httpx.Client, body: dict[str, Any], field: str
) -> None:
    cx_error(cx.post("/storage/containers", json=body), 422, field)


def test_a_body_that_is_not_json_is_400(cx: httpx.Client) -> None:
    response = cx.post(
        "/storage/containers", content=b"{name:", headers={"Content-Type": "application/json"}
    )
    assert cx_error(response, 400)["message"] == "No JSON object could be decoded"
    cx_error(cx.post("/storage/containers", json=["a list"]), 422, None)


def test_patch_changes_what_is_given_and_put_restores_defaults(
    cx: httpx.Client, container: dict[str, Any]
) -> None:
    sid = container["container_sid"]
    patched = cx_ok(
        cx.patch(
            f"/storage/containers/{sid}",
            json={"string_key_1": "campaign", "quota_files": 9, "threshold_grace_period": "30"},
        )
    )
    assert (patched["string_key_1"], patched["quota_files"], patched["threshold_grace_period"]) == (
        "campaign",
        9,
        30,
    )
    assert patched["name"] == container["name"]
    cleared = cx_ok(cx.patch(f"/storage/containers/{sid}", json={"string_key_1": None}))
    assert cleared["string_key_1"] is None and cleared["quota_files"] == 9
    cx_error(cx.patch(f"/storage/containers/{sid}", json={"quota_files": None}), 422, "quota_files")
    replaced = cx_ok(cx.put(f"/storage/containers/{sid}", json=container))
    # A client PUTting back what it fetched (read-only fields included) gets it back unchanged.
    assert replaced == container
    reset = cx_ok(cx.put(f"/storage/containers/{sid}", json={"string_key_3": "only"}))
    assert reset["string_key_3"] == "only" and reset["name"] == "N/A"
    assert reset["quota_files"] == 100 and reset["threshold_grace_period"] == 0


def test_unknown_sids_are_404_in_carrierx_words(cx: httpx.Client) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        body = cx_error(
            cx.request(method, f"/storage/containers/{missing}", json={}), 404, "container_sid"
        )
        assert body["message"] == "Cannot find item by SID"


def test_a_unique_name_belongs_to_one_container(cx: httpx.Client) -> None:
    name = new_container(cx)["name"] + "-unique"
    first = new_container(cx, name=name, unique=True)
    try:
        body = cx_error(cx.post("/storage/containers", json={"name": name}), 409, "name")
        assert body["errors"][0]["reference_sid"] == first["container_sid"]
        cx_error(cx.post("/storage/containers", json={"name": name, "unique": True}), 409, "name")
        other = new_container(cx)
        cx_error(
            cx.patch(f"/storage/containers/{other['container_sid']}", json={"name": name}),
            409,
            "name",
        )
        delete_container(cx, other["container_sid"])
    finally:
        delete_container(cx, first["container_sid"])


def test_a_container_with_files_is_not_deleted(cx: httpx.Client, container: dict[str, Any]) -> None:
    sid = container["container_sid"]
    file = upload_raw(cx, b"keep me\n", container_sid=sid, name="keep.txt")
    body = cx_error(cx.delete(f"/storage/containers/{sid}"), 409, "container_sid")
    assert body["errors"][0]["reference_sid"] == sid
    assert cx_ok(cx.get(f"/storage/files/{file['file_sid']}"))["container_sid"] == sid
    cx_ok(cx.delete(f"/storage/files/{file['file_sid']}"), 204)
    cx_ok(cx.delete(f"/storage/containers/{sid}"), 204)
    cx_error(cx.get(f"/storage/containers/{sid}"), 404, "container_sid")


def test_totals_and_available_percentages_follow_the_files(
    cx: httpx.Client, container: dict[str, Any]
) -> None:
    sid = container["container_sid"]
    cx_ok(cx.patch(f"/storage/containers/{sid}", json={"quota_files": 3, "quota_bytes": 1000}))
    upload_raw(cx, b"x" * 300, container_sid=sid, name="a.bin", threshold_include="false")
    upload_raw(cx, b"y" * 100, container_sid=sid, name="b.bin")
    state = cx_ok(cx.get(f"/storage/containers/{sid}"))
    assert (state["total_files"], state["total_bytes"]) == (2, 400)
    assert (state["threshold_total_files"], state["threshold_total_bytes"]) == (1, 100)
    assert state["available_bytes_percent"] == 60  # floor(100 * 600 / 1000)
    assert state["available_files_percent"] == 33  # floor(100 * 1 / 3)
    found = cx_ok(
        cx.get(
            "/storage/containers",
            params={"filter": f'container_sid eq "{sid}" and available_files_percent lt 50'},
        )
    )
    assert [c["container_sid"] for c in found["items"]] == [sid]


def test_lists_use_the_carrierx_envelope(cx: httpx.Client) -> None:
    tag = new_container(cx)["name"]
    made = [new_container(cx, string_key_1=tag) for _ in range(3)]
    try:
        # The blast-api app filters with an unquoted value.
        page = cx_ok(
            cx.get("/storage/containers", params={"filter": f"string_key_1 eq {tag}", "limit": 2})
        )
        assert set(page) == {"count", "has_more", "items", "limit", "offset", "pagination", "total"}
        assert (page["count"], page["total"], page["limit"], page["offset"]) == (2, 3, 2, 0)
        assert page["has_more"] is True
        assert page["pagination"]["next"].startswith("http")
        assert [c["container_sid"] for c in page["items"]] == [c["container_sid"] for c in made[:2]]
        rest = cx_ok(httpx.get(page["pagination"]["next"], headers=cx.headers))
        assert rest["count"] == 1 and rest["has_more"] is False and "next" not in rest["pagination"]
        everything = cx_ok(
            cx.get("/storage/containers", params={"filter": f"string_key_1 eq {tag}"})
        )
        assert everything["limit"] == 1000 and everything["pagination"] == {}
        # The Python client's exists(): limit=1 and camelCase includeFields, reading total.
        exists = cx_ok(
            cx.get(
                "/storage/containers",
                params={
                    "filter": f"string_key_1 eq {tag}",
                    "limit": 1,
                    "includeFields": "container_sid",
                },
                headers={"Content-Type": "application/json"},
            )
        )
        assert exists["total"] == 3 and list(exists["items"][0]) == ["container_sid"]
        one = cx_ok(
            cx.get(
                f"/storage/containers/{made[0]['container_sid']}",
                params={"exclude_fields": "name,quota_bytes,unknown"},
            )
        )
        assert "name" not in one and "quota_bytes" not in one and "quota_files" in one
        trailing = cx.get("/storage/containers/", params={"filter": f"string_key_1 eq {tag}"})
        assert cx_ok(trailing)["total"] == 3  # one trailing slash is tolerated
    finally:
        for c in made:
            delete_container(cx, c["container_sid"])


def test_containers_live_in_the_audiostack_library(
    cx: httpx.Client, deployment: Any, container: dict[str, Any]
) -> None:
    sid = container["container_sid"]
    file = upload_raw(cx, b"shared\n", container_sid=sid, name="shared.txt")
    library = httpx.get(
        f"{deployment.url}/folders",
        params={"path": f"carrierx/{sid}"},
        headers={"x-api-key": deployment.api_key},
    )
    assert library.status_code == 200, library.text
    listed = library.json()["data"]["files"]
    assert [(f["fileId"], f["fileName"]) for f in listed] == [(file["file_sid"], "shared.txt")]


def test_a_partner_has_a_limited_number_of_containers(tight: Any) -> None:
    with tight.client() as client:
        made = []
        try:
            while len(made) < 3:
                made.append(new_container(client))
            body = cx_error(client.post("/storage/containers", json={}), 422, None)
            assert "at most 3 containers" in body["errors"][0]["message"]
            cx_ok(client.delete(f"/storage/containers/{made.pop()['container_sid']}"), 204)
            made.append(new_container(client))
        finally:
            for c in made:
                delete_container(client, c["container_sid"])
