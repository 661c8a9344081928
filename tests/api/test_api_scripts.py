"""Scripts over HTTP: create, versions, lists, projects and modules, markup errors."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from support.api_checks import error_of, ok

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def create(client: httpx.Client, text: str = "Hello there.", **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = ok(client.post("/content/script", json={"scriptText": text, **fields}))
    return data


def update(client: httpx.Client, script_id: str, text: str, **fields: Any) -> dict[str, Any]:
    body = {"scriptId": script_id, "scriptText": text, **fields}
    data: dict[str, Any] = ok(client.put("/content/script", json=body))
    return data


def test_create_fills_every_field_with_defaults(client: httpx.Client) -> None:
    text = (
        "<as:section name='intro' soundsegment='intro'>Hi <as:sub name='intro_a'>there</as:sub>"
        " <as:placeholder id='who'>you</as:placeholder></as:section>And then some."
    )
    data = create(client, text)
    assert UUID4.match(data["scriptId"])
    assert (data["projectName"], data["moduleName"], data["scriptName"]) == (
        "default",
        "default",
        "default",
    )
    assert data["scriptText"] == text
    assert data["metadata"] == {}
    assert data["version"] == "v1"
    assert data["availableVersions"] == ["v1"]
    assert ISO_Z.match(data["creationDate"])
    by_name = {s["name"]: s for s in data["sections"]}
    assert list(by_name) == ["intro", "intro_a", "section_2"]
    assert by_name["intro"]["soundSegment"] == "intro"
    assert by_name["intro"]["subSections"] == ["intro_a"]
    assert by_name["intro"]["placeholders"] == ["who"]
    assert by_name["intro_a"]["parentSectionName"] == "intro"
    assert by_name["section_2"]["soundSegment"] == ""


@pytest.mark.parametrize("empty", ["", None, {}, []], ids=["empty-str", "null", "obj", "list"])
def test_empty_values_mean_not_given(client: httpx.Client, empty: Any) -> None:
    fields = {"projectName": empty, "moduleName": empty, "scriptName": empty, "metadata": empty}
    data = create(client, **fields)
    assert (data["projectName"], data["moduleName"], data["scriptName"]) == ("default",) * 3
    assert data["metadata"] == {}

    named = create(client, projectName="kept", moduleName="kept-m", scriptName="kept-s")
    changed = update(client, named["scriptId"], "Changed.", version=empty, **fields)
    assert changed["version"] == "v2"  # an empty version is no version: a new one
    assert (changed["projectName"], changed["moduleName"], changed["scriptName"]) == (
        "kept",
        "kept-m",
        "kept-s",
    )


def test_metadata_is_kept_and_replaced(client: httpx.Client) -> None:
    data = create(client, metadata={"client": "acme", "n": 3, "nested": {"a": [1, "b"]}})
    assert data["metadata"] == {"client": "acme", "n": 3, "nested": {"a": [1, "b"]}}
    kept = update(client, data["scriptId"], "Second.")
    assert kept["metadata"] == data["metadata"]
    replaced = update(client, data["scriptId"], "Third.", metadata={"client": "beta"})
    assert replaced["metadata"] == {"client": "beta"}


def test_versions_are_kept_named_and_deleted(client: httpx.Client) -> None:
    script_id = create(client, "First words.")["scriptId"]
    assert update(client, script_id, "Second words.")["version"] == "v2"
    third = update(client, script_id, "Third words.")
    assert third["version"] == "v3"
    assert third["availableVersions"] == ["v1", "v2", "v3"]

    latest = ok(client.get(f"/content/script/{script_id}"))
    assert (latest["version"], latest["scriptText"]) == ("v3", "Third words.")
    first = ok(client.get(f"/content/script/{script_id}/v1"))
    assert (first["version"], first["scriptText"]) == ("v1", "First words.")

    # A named version is replaced in place...
    replaced = update(client, script_id, "Second, rewritten.", version="v2")
    assert replaced["version"] == "v2"
    assert replaced["availableVersions"] == ["v1", "v2", "v3"]
    assert ok(client.get(f"/content/script/{script_id}/v2"))["scriptText"] == "Second, rewritten."
    # ...or created when new, and automatic names keep counting after it.
    french = update(client, script_id, "Bonjour.", version="fr")
    assert french["availableVersions"] == ["v1", "v2", "v3", "fr"]
    assert ok(client.get(f"/content/script/{script_id}/fr"))["scriptText"] == "Bonjour."
    assert update(client, script_id, "Fifth.")["version"] == "v5"

    assert ok(client.delete(f"/content/script/{script_id}/v2")) == {}
    remaining = ok(client.get(f"/content/script/{script_id}"))["availableVersions"]
    assert remaining == ["v1", "v3", "fr", "v5"]
    missing = error_of(client.get(f"/content/script/{script_id}/v2"), 404)
    assert missing["errors"][0].startswith("version")

    assert ok(client.delete(f"/content/script/{script_id}")) == {}
    error_of(client.get(f"/content/script/{script_id}"), 404)
    error_of(client.get(f"/content/script/{script_id}/v1"), 404)
    error_of(client.delete(f"/content/script/{script_id}"), 404)


def test_deleting_the_last_version_deletes_the_script(client: httpx.Client) -> None:
    script_id = create(client)["scriptId"]
    ok(client.delete(f"/content/script/{script_id}/v1"))
    error_of(client.get(f"/content/script/{script_id}"), 404)


def test_version_names_are_checked(client: httpx.Client) -> None:
    script_id = create(client)["scriptId"]
    for bad in ["has space", "x" * 65, "vé", "../v1"]:
        body = {"scriptId": script_id, "scriptText": "Hi.", "version": bad}
        assert error_of(client.put("/content/script", json=body), 422)["errors"][0].startswith(
            "version"
        )
    assert ok(client.get(f"/content/script/{script_id}"))["availableVersions"] == ["v1"]


def test_required_fields_and_unknown_ids(client: httpx.Client) -> None:
    for body in [{}, {"scriptText": ""}, {"scriptText": "   "}, {"scriptText": None}]:
        body_error = error_of(client.post("/content/script", json=body), 422)
        assert body_error["errors"][0].startswith("scriptText")
    no_id = error_of(client.put("/content/script", json={"scriptText": "Hi."}), 422)
    assert no_id["errors"][0].startswith("scriptId")
    unknown = str(uuid.uuid4())
    error_of(client.put("/content/script", json={"scriptId": unknown, "scriptText": "Hi."}), 404)
    not_found = error_of(client.get(f"/content/script/{unknown}"), 404)
    assert unknown in not_found["errors"][0]
    error_of(client.delete(f"/content/script/{unknown}/v1"), 404)
    script_id = create(client)["scriptId"]
    error_of(client.get(f"/content/script/{script_id}/v9"), 404)


MALFORMED = [
    ("<as:section name='a'>Hello", "<as:section name='a'>", 0),
    (
        "Hi <as:section name='a'>x <as:section name='b'>y</as:section></as:section>",
        "<as:section name='b'>",
        26,
    ),
    (
        "<as:section name='a'><as:sub name='s'>x <as:sub name='t'>y</as:sub></as:sub></as:section>",
        "<as:sub name='t'>",
        40,
    ),
    ("<as:section name='a'>x</as:section><as:section name='a'>y</as:section>", "'a'", 35),
    ("Hello <as:break/> there", "<as:break>", 6),
    ("<as:prosody>x</as:prosody>", "<as:prosody>", 0),
    ("Hello </as:section>", "</as:section>", 6),
]


@pytest.mark.parametrize(("text", "tag", "offset"), MALFORMED)
def test_malformed_markup_names_the_tag_and_offset(
    client: httpx.Client, text: str, tag: str, offset: int
) -> None:
    body = error_of(client.post("/content/script", json={"scriptText": text}), 422)
    matching = [e for e in body["errors"] if tag in e and f"offset {offset}" in e]
    assert matching, body["errors"]
    assert all(e.startswith("scriptText") for e in body["errors"])


def test_markup_the_parser_changed_is_reported_as_warnings(client: httpx.Client) -> None:
    text = "<as:section name='a'>Hi <as:bogus>there</as:bogus><as:break time='30s'/></as:section>"
    response = client.post("/content/script", json={"scriptText": text})
    ok(response)
    warnings = response.json()["warnings"]
    assert any("<as:bogus>" in w and "offset" in w for w in warnings), warnings
    assert any("clamped" in w for w in warnings), warnings
    assert all(w.startswith("scriptText") for w in warnings)
    script_id = response.json()["data"]["scriptId"]
    clean = client.put("/content/script", json={"scriptId": script_id, "scriptText": "Fine."})
    assert ok(clean)["version"] == "v2" and clean.json()["warnings"] == []


def test_malformed_markup_on_update_keeps_the_versions(client: httpx.Client) -> None:
    script_id = create(client)["scriptId"]
    body = {"scriptId": script_id, "scriptText": "<as:section name='x'>open"}
    assert "offset 0" in error_of(client.put("/content/script", json=body), 422)["errors"][0]
    assert ok(client.get(f"/content/script/{script_id}"))["availableVersions"] == ["v1"]


@pytest.fixture
def project(client: httpx.Client) -> dict[str, str]:
    """Four scripts in a project of their own (so other tests' scripts never match)."""
    name = f"proj-{uuid.uuid4().hex[:8]}"
    ids = {
        "a": create(client, "A.", projectName=name, moduleName="mod-a", scriptName="x")["scriptId"],
        "b": create(client, "B.", projectName=name, moduleName="mod-b", scriptName="y")["scriptId"],
        "c": create(client, "C.", projectName=name, moduleName="mod-a", scriptName="y")["scriptId"],
        "other": create(client, "D.", projectName=f"{name}-other", moduleName="mod-a")["scriptId"],
    }
    return {"name": name, **ids}


def listed(client: httpx.Client, **params: str) -> list[str]:
    scripts = ok(client.get("/content/scripts", params=params))["scripts"]
    return [s["scriptId"] for s in scripts]


def test_list_scripts_filters(client: httpx.Client, project: dict[str, str]) -> None:
    name = project["name"]
    # Newest first.
    assert listed(client, projectName=name) == [project["c"], project["b"], project["a"]]
    assert listed(client, projectName=name, moduleName="mod-a") == [project["c"], project["a"]]
    assert listed(client, projectName=name, scriptName="y") == [project["c"], project["b"]]
    assert listed(client, projectName=name, moduleName="mod-a", scriptName="y") == [project["c"]]
    assert listed(client, scriptId=project["b"]) == [project["b"]]
    assert listed(client, projectName=name, scriptId=project["other"]) == []
    assert listed(client, projectName="no-such-project") == []
    # An empty filter is no filter.
    everything = listed(client, projectName="", moduleName="")
    assert {project["a"], project["b"], project["c"], project["other"]} <= set(everything)


def test_list_scripts_shows_the_latest_version(
    client: httpx.Client, project: dict[str, str]
) -> None:
    update(client, project["a"], "A, second take.")
    (item,) = ok(client.get("/content/scripts", params={"scriptId": project["a"]}))["scripts"]
    assert (item["version"], item["scriptText"]) == ("v2", "A, second take.")
    assert item["availableVersions"] == ["v1", "v2"]
    assert (item["projectName"], item["moduleName"], item["scriptName"]) == (
        project["name"],
        "mod-a",
        "x",
    )


def test_list_projects_and_modules(client: httpx.Client, project: dict[str, str]) -> None:
    name = project["name"]
    projects = ok(client.get("/content/list_projects"))["projects"]
    assert {name, f"{name}-other"} <= set(projects)
    assert len(projects) == len(set(projects))
    expected = {"projectName": name, "modules": ["mod-a", "mod-b"]}
    assert ok(client.get("/content/list_projects", params={"projectName": name})) == expected
    assert ok(client.get("/content/list_modules", params={"projectName": name})) == expected
    unknown = ok(client.get("/content/list_modules", params={"projectName": "nothing-here"}))
    assert unknown == {"projectName": "nothing-here", "modules": []}
