"""The ``filter`` and ``order`` parameters: parsing, meaning on both databases, and fuzzing.

Fuzzing runs twice: in process against real SQLite and PostgreSQL databases (thousands of
expressions, fast), and over HTTP against the live server (every answer a 200 or a 400 in
CarrierX's shape, never a 500).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from castwright.carrierx.filters import FilterError, matches, parse_filter
from castwright.carrierx.listing import ListRequest, read_list_request
from castwright.carrierx.repository import (
    CONTAINER_SQL_FIELDS,
    FILE_SQL_FIELDS,
    CarrierXRepository,
)
from castwright.carrierx.voices import voice_field_type
from castwright.config import Settings
from castwright.db.migrate import upgrade
from castwright.errors import BadRequest
from castwright.runtime import database_for
from support.carrierx import cx_error, cx_ok, upload_raw
from support.databases import postgres_available, postgres_schema_url

FIELDS = sorted({*FILE_SQL_FIELDS, *CONTAINER_SQL_FIELDS})
TOKENS = [
    *FIELDS,
    "languages.en-US",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "like",
    "ilike",
    "in",
    "notin",
    "EQ",
    "And",
    "and",
    "or",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1e400",
    "nan",
    "99999999999999999999",
    "2020-03-15",
    "2020-13-45",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59Z",
    '"',
    "'",
    "(",
    ")",
    ",",
    "\\",
    "%",
    "_",
    "*",
    "[",
    "a b",
    "é",
    "日本",
    "\t",
    '"quoted value"',
    "'single'",
    "(a,b)",
    "(1, 2)",
    "()",
    '"abc\\',
    "abc\\",
]
filter_text = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=10).map(" ".join),
    st.text(max_size=80),
)
order_text = st.one_of(
    st.lists(
        st.sampled_from([*FIELDS[:10], "asc", "desc", "ASC", ",", "shuffle", "x"]), max_size=6
    ).map(" ".join),
    st.text(max_size=30),
)


def no_nul(text: str) -> str:
    return text.replace("\x00", "")


# -- parsing -------------------------------------------------------------------------------


def test_conditions_are_read_as_written() -> None:
    found = parse_filter(
        "string_key_1 eq abc AND name like 'my file%' and integer_key_1 IN (1, \"2\") "
        "and languages.en-US ge 0 and parent_file_sid eq null"
    )
    assert [(c.field, c.operator) for c in found] == [
        ("string_key_1", "eq"),
        ("name", "like"),
        ("integer_key_1", "in"),
        ("languages.en-US", "ge"),
        ("parent_file_sid", "eq"),
    ]
    assert found[1].values[0].text == "my file%" and found[1].values[0].quoted
    assert [v.text for v in found[2].values] == ["1", "2"]
    assert found[4].values[0].is_null
    assert parse_filter("  ") == []
    assert parse_filter('name eq "null"')[0].values[0].is_null is False  # quoted: the text


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("name", "expected an operator"),
        ("name eq", "expected a value"),
        ("name is 'x'", "not an operator"),
        ("name eq 'x", "unterminated quoted value"),
        ("name eq x or type eq y", "expected 'and'"),
        ("name eq x and", "expected a condition"),
        ("name in (a, b", "unterminated list"),
        ("name in (a b)", "expected ',' or ')'"),
        ("1name eq x", "not a field name"),
        (" and ".join(["name eq x"] * 51), "at most 50 conditions"),
        ("name eq " + "x" * 5000, "longer than 4000"),
    ],
    ids=lambda value: value if len(value) < 40 else f"{len(value)} characters",
)
def test_malformed_filters_say_what_and_where(text: str, complaint: str) -> None:
    with pytest.raises(FilterError) as raised:
        parse_filter(text)
    assert raised.value.status == 400
    assert raised.value.errors[0].startswith("filter: ") and complaint in raised.value.errors[0]


def test_matching_in_python_follows_sql_rules() -> None:
    record = {"voice_sid": "Polly.Joanna", "languages.en-US": 0}
    assert matches(parse_filter("voice_sid like 'Polly.%'"), record, voice_field_type)
    assert not matches(parse_filter("voice_sid like 'polly.%'"), record, voice_field_type)
    assert matches(parse_filter("voice_sid ilike 'polly.%'"), record, voice_field_type)
    assert matches(parse_filter("languages.en-US ge 0"), record, voice_field_type)
    assert not matches(parse_filter("languages.de ge 0"), record, voice_field_type)
    assert matches(parse_filter("languages.de eq null"), record, voice_field_type)
    assert matches(parse_filter("voice_sid notin (man, woman)"), record, voice_field_type)
    with pytest.raises(FilterError):
        matches(parse_filter("gender eq male"), record, voice_field_type)
    with pytest.raises(FilterError):
        matches(parse_filter("languages.en-US like 0"), record, voice_field_type)


def test_paging_parameters_are_checked() -> None:
    assert read_list_request({"limit": "5000"}).limit == 1000  # clamped
    assert read_list_request({"limit": "0"}).limit == 1000  # the Ruby gem's "no limit"
    for bad in ({"limit": "x"}, {"offset": "-1"}, {"offset": "3", "after": "abc"}):
        with pytest.raises(BadRequest):
            read_list_request(bad)


@settings(max_examples=1500, deadline=None)
@given(text=filter_text)
def test_the_parser_fails_only_with_a_400(text: str) -> None:
    try:
        parse_filter(text)
    except FilterError as error:
        assert error.errors[0].startswith("filter: ")


# -- on real databases ---------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def repository(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CarrierXRepository]:
    with ExitStack() as stack:
        url = ""
        if request.param == "postgresql":
            reason = postgres_available()
            if reason:
                pytest.skip(reason)
            url = stack.enter_context(postgres_schema_url())
        data_dir: Path = tmp_path_factory.mktemp(f"cx-filters-{request.param}")
        configured = Settings(data_dir=data_dir, database_url=url)
        upgrade(configured)
        database = database_for(configured)
        stack.callback(database.dispose)
        session = database.sessions()
        stack.callback(session.close)
        yield CarrierXRepository(session)


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=filter_text, order=order_text)
def test_any_filter_runs_or_is_a_400_on_the_database(
    repository: CarrierXRepository, text: str, order: str
) -> None:
    request = ListRequest(order_text=order, limit=5)
    try:
        request = ListRequest(conditions=parse_filter(no_nul(text)), order_text=order, limit=5)
        repository.list_files("org", request)
        repository.list_containers("org", request)
    except BadRequest as error:
        assert error.errors[0].split(":")[0] in ("filter", "order"), error.errors
    finally:
        repository.session.rollback()


# -- over HTTP -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(cx: httpx.Client) -> Iterator[dict[str, Any]]:
    """Three files with keys worth filtering on, in one container."""
    container = cx_ok(cx.post("/storage/containers", json={"name": "filters"}))
    sid = container["container_sid"]
    files = [
        upload_raw(
            cx,
            b"alpha\n",
            container_sid=sid,
            name="Alpha report.txt",
            integer_key_1=5,
            string_key_1="red",
            type="report",
        ),
        upload_raw(
            cx,
            b"beta\n",
            container_sid=sid,
            name="beta notes.txt",
            integer_key_1=20,
            string_key_1="blue",
            type="notes",
        ),
        upload_raw(cx, b"gamma\n", container_sid=sid, name="gamma_[x].txt", type="notes"),
    ]
    yield {"container": container, "files": files}
    for file in files:
        cx.delete(f"/storage/files/{file['file_sid']}")
    cx.delete(f"/storage/containers/{sid}")


def _names(cx: httpx.Client, seeded: dict[str, Any], expression: str, **params: Any) -> list[str]:
    scope = f'container_sid eq "{seeded["container"]["container_sid"]}"'
    found = cx_ok(
        cx.get("/storage/files", params={"filter": f"{scope} and {expression}", **params})
    )
    return [item["name"] for item in found["items"]]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("string_key_1 eq red", ["Alpha report.txt"]),
        ('string_key_1 ne "red"', ["beta notes.txt"]),  # a null key passes no comparison
        ("string_key_1 eq null", ["gamma_[x].txt"]),
        ("string_key_1 ne null", ["Alpha report.txt", "beta notes.txt"]),
        ("integer_key_1 gt 6", ["beta notes.txt"]),
        ("integer_key_1 le 5", ["Alpha report.txt"]),
        ("integer_key_1 lt 5.5", ["Alpha report.txt"]),
        ("integer_key_1 in (5, 20)", ["Alpha report.txt", "beta notes.txt"]),
        ("type notin (report)", ["beta notes.txt", "gamma_[x].txt"]),
        ("name like 'alpha%'", []),  # like matches case on both databases
        ("name ilike 'alpha%'", ["Alpha report.txt"]),
        ("name like '%[x]%'", ["gamma_[x].txt"]),  # GLOB's brackets are literal here
        ("name like 'beta_notes.txt'", ["beta notes.txt"]),
        ("name like 'gamma\\_%'", ["gamma_[x].txt"]),
        ("file_bytes ge 6 and type eq notes", ["gamma_[x].txt"]),
        ("content_classification eq document and unique eq false", None),
        ("date_modified ge 2020-03-15", None),
        ("date_modified lt 2020-03-15", []),
    ],
)
def test_filters_select_the_same_files_on_both_databases(
    cx: httpx.Client, seeded: dict[str, Any], expression: str, expected: list[str] | None
) -> None:
    every = ["Alpha report.txt", "beta notes.txt", "gamma_[x].txt"]
    found = _names(cx, seeded, expression, order="name asc")
    assert sorted(found) == sorted(expected if expected is not None else every), expression


def test_order_and_cursor_paging(cx: httpx.Client, seeded: dict[str, Any]) -> None:
    assert _names(cx, seeded, "type ne x", order="integer_key_1 desc, name") == [
        "beta notes.txt",
        "Alpha report.txt",
        "gamma_[x].txt",  # nulls last when descending
    ]
    scope = f'container_sid eq "{seeded["container"]["container_sid"]}"'
    first = cx_ok(cx.get("/storage/files", params={"filter": scope, "order": "name", "limit": 1}))
    assert first["count"] == 1 and first["total"] == 3 and first["has_more"] is True
    assert first["items"][0]["name"] == "Alpha report.txt"
    following = cx_ok(httpx.get(first["pagination"]["next"], headers=cx.headers))
    assert following["offset"] == 1 and following["items"][0]["name"] == "beta notes.txt"
    assert "previous" in following["pagination"]
    after = cx_ok(
        cx.get(
            "/storage/files",
            params={"filter": scope, "order": "name asc", "after": first["items"][0]["file_sid"]},
        )
    )
    assert [i["name"] for i in after["items"]] == ["beta notes.txt", "gamma_[x].txt"]
    assert after["pagination"] == {"previous": after["pagination"]["previous"]}
    third = after["items"][1]["file_sid"]
    before = cx_ok(
        cx.get(
            "/storage/files",
            params={"filter": scope, "order": "name asc", "before": third, "limit": 1},
        )
    )
    assert [i["name"] for i in before["items"]] == ["beta notes.txt"]
    assert before["offset"] == 1 and before["pagination"]["previous"].startswith("http")
    cx_error(cx.get("/storage/files", params={"order": "nosuchfield"}), 400, "order")
    cx_error(cx.get("/storage/files", params={"after": "nope", "order": "name"}), 400, "after")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=filter_text.map(no_nul), order=order_text.map(no_nul))
def test_malformed_filters_over_http_are_never_a_500(
    cx: httpx.Client, text: str, order: str
) -> None:
    text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)
    order = "".join(c for c in order if not 0xD800 <= ord(c) <= 0xDFFF)
    for path in ("/storage/files", "/storage/containers", "/tts/voices"):
        response = cx.get(path, params={"filter": text, "order": order, "limit": 2})
        assert response.status_code in (200, 400), (path, text, order, response.text)
        if response.status_code == 400:
            assert cx_error(response, 400)["errors"][0]["field"] in ("filter", "order")
