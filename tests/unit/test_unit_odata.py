"""OData $filter / $orderBy: real queries against SQLite, and every error with its position."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

import castwright.models  # noqa: F401  (registers every table on Base.metadata)
from castwright.db.base import Base
from castwright.errors import CastwrightError
from castwright.files.odata import MAX_DEPTH, MAX_LENGTH, parse_filter, parse_order_by
from castwright.files.repository import FileQuery, FileRepository, sortable_fields
from castwright.models.file import File, FileStatus
from castwright.models.folder import Folder


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# name, size, duration, status, access, kind, category, created, updated
ROWS = [
    ("intro.wav", 100, 12.5, FileStatus.READY, "private", "audio", "music",
     "2024-01-01T00:00:00", None),
    ("Outro_Final.mp3", 2000, None, FileStatus.PENDING, "public", "audio", "sfx",
     "2024-02-01T00:00:00", "2024-03-01T12:00:00"),
    ("100%_mix.wav", 5000, 60.0, FileStatus.PROCESSING, "private", "audio", "music",
     "2024-03-01T10:00:00", "2024-03-02T00:00:00"),
    ("cover.png", 300, None, FileStatus.FAILED, "public", "image", "",
     "2023-12-31T23:00:00", None),
    ("o'brien.txt", 0, 1.25, FileStatus.READY, "private", "other", "docs",
     "2024-06-15T08:30:00", None),
]  # fmt: skip
ALL = sorted(row[0] for row in ROWS)


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        folder = Folder(org_id="org", name="", path="")
        db.add(folder)
        db.flush()
        for name, size, duration, status, access, kind, category, created, updated in ROWS:
            db.add(
                File(
                    org_id="org",
                    folder_id=folder.id,
                    folder_path="",
                    name=name,
                    size=size,
                    duration=duration,
                    status=status,
                    access_control=access,
                    kind=kind,
                    category=category,
                    blob_key=f"blobs/{name}",
                    created_at=_at(created),
                    updated_at=_at(updated) if updated else None,
                )
            )
        db.commit()
        yield db
    engine.dispose()


def names(session: Session, expression: str) -> list[str]:
    return sorted(session.scalars(select(File.name).where(parse_filter(expression))))


def others(*excluded: str) -> list[str]:
    return [name for name in ALL if name not in excluded]


MATCHES = [
    # eq / ne on every field
    ("fileName eq 'intro.wav'", ["intro.wav"]),
    ("fileName ne 'intro.wav'", others("intro.wav")),
    ("fileName eq 'o''brien.txt'", ["o'brien.txt"]),
    ("fileName eq 'INTRO.WAV'", []),  # eq is exact, as in OData
    ("size eq 300", ["cover.png"]),
    ("size ne 300", others("cover.png")),
    ("accessControl eq 'public'", ["Outro_Final.mp3", "cover.png"]),
    ("fileType/name eq 'image'", ["cover.png"]),
    ("fileCategory/name eq 'music'", ["100%_mix.wav", "intro.wav"]),
    ("fileCategory/name eq ''", ["cover.png"]),
    ("duration eq 12.5", ["intro.wav"]),
    # ordering comparisons, integers and decimals
    ("size gt 300", ["100%_mix.wav", "Outro_Final.mp3"]),
    ("size ge 300", ["100%_mix.wav", "Outro_Final.mp3", "cover.png"]),
    ("size lt 300", ["intro.wav", "o'brien.txt"]),
    ("size le 300", ["cover.png", "intro.wav", "o'brien.txt"]),
    ("size gt 99.5", others("o'brien.txt")),
    ("size gt -1", ALL),
    ("duration lt 12.5", ["o'brien.txt"]),
    ("duration ge 12", ["100%_mix.wav", "intro.wav"]),
    ("fileName lt 'd'", ["100%_mix.wav", "Outro_Final.mp3", "cover.png"]),
    # null: IS NULL, and OData's two-valued comparisons on nullable fields
    ("duration eq null", ["Outro_Final.mp3", "cover.png"]),
    ("duration ne null", ["100%_mix.wav", "intro.wav", "o'brien.txt"]),
    ("updatedAt eq NULL", ["cover.png", "intro.wav", "o'brien.txt"]),
    ("duration ne 12.5", others("intro.wav")),
    ("not (duration gt 10)", ["Outro_Final.mp3", "cover.png", "o'brien.txt"]),
    ("not (updatedAt lt 2024-03-02T00:00:00Z)", others("Outro_Final.mp3")),
    # datetimes: bare or quoted, offsets and Z, naive means UTC
    ("createdAt gt 2024-01-01T00:00:00Z", ["100%_mix.wav", "Outro_Final.mp3", "o'brien.txt"]),
    ("createdAt ge 2024-01-01T00:00:00Z", others("cover.png")),
    ("createdAt ge '2024-01-01T00:00:00Z'", others("cover.png")),
    ("createdAt lt 2024-01-01", ["cover.png"]),
    ("createdAt eq 2024-01-01T01:00:00+01:00", ["intro.wav"]),
    ("createdAt gt 2024-01-01T00:30:00+01:00", others("cover.png")),
    ("createdAt le '2024-03-01T05:00:00-05:00'", others("o'brien.txt")),
    ("createdAt eq 2024-06-15T08:30:00.000", ["o'brien.txt"]),
    ("updatedAt ge 2024-03-02T00:00:00Z", ["100%_mix.wav"]),
    ("updatedAt ne 2024-03-02T00:00:00Z", others("100%_mix.wav")),
    # status: the 4.0 wire names, not ours
    ("status eq 'uploaded'", ["intro.wav", "o'brien.txt"]),
    ("status eq 'pending'", ["100%_mix.wav", "Outro_Final.mp3"]),
    ("status eq 'failed'", ["cover.png"]),
    ("status eq 'Uploaded'", ["intro.wav", "o'brien.txt"]),
    ("status ne 'pending'", ["cover.png", "intro.wav", "o'brien.txt"]),
    ("status ne 'uploaded'", ["100%_mix.wav", "Outro_Final.mp3", "cover.png"]),
    ("status eq null", []),
    ("contains(status,'LOAD')", ["intro.wav", "o'brien.txt"]),
    ("startswith(status,'p')", ["100%_mix.wav", "Outro_Final.mp3"]),
    ("endswith(status,'ed')", ["cover.png", "intro.wav", "o'brien.txt"]),
    ("contains(status,'ready')", []),  # our internal name is not on the wire
    # functions: case-insensitive, % and _ literal
    ("contains(fileName,'OUTRO')", ["Outro_Final.mp3"]),
    ("startswith(fileName,'in')", ["intro.wav"]),
    ("endswith(fileName,'.WAV')", ["100%_mix.wav", "intro.wav"]),
    ("contains(fileName,'_')", ["100%_mix.wav", "Outro_Final.mp3"]),
    ("contains(fileName,'%')", ["100%_mix.wav"]),
    ("contains(fileName,'%_m')", ["100%_mix.wav"]),
    ("startswith(fileName,'_')", []),
    ("endswith(fileName,'%')", []),
    ("contains(fileName,'/')", []),  # the LIKE escape character is literal too
    ("contains(fileName,'''')", ["o'brien.txt"]),
    ("contains(fileName,'')", ALL),
    ("contains(fileCategory/name,'US')", ["100%_mix.wav", "intro.wav"]),
    ("startswith(fileType/name,'aud')", ["100%_mix.wav", "Outro_Final.mp3", "intro.wav"]),
    ("endswith(accessControl,'lic')", ["Outro_Final.mp3", "cover.png"]),
    ("contains(fileName,'wav') eq true", ["100%_mix.wav", "intro.wav"]),
    ("contains(fileName,'wav') eq false", ["Outro_Final.mp3", "cover.png", "o'brien.txt"]),
    ("contains(fileName,'wav') ne true", ["Outro_Final.mp3", "cover.png", "o'brien.txt"]),
    ("contains(fileName,'wav') ne false", ["100%_mix.wav", "intro.wav"]),
    # and / or / not, precedence and parentheses
    ("size gt 100 and size lt 5000", ["Outro_Final.mp3", "cover.png"]),
    ("size eq 0 or size eq 5000", ["100%_mix.wav", "o'brien.txt"]),
    ("not size eq 300", others("cover.png")),
    ("not contains(fileName,'wav')", ["Outro_Final.mp3", "cover.png", "o'brien.txt"]),
    ("not not size eq 300", ["cover.png"]),
    # and binds tighter than or
    ("size eq 0 or size eq 100 and status eq 'failed'", ["o'brien.txt"]),
    ("(size eq 0 or size eq 100) and status eq 'uploaded'", ["intro.wav", "o'brien.txt"]),
    ("size eq 300 and status eq 'failed' or size eq 0", ["cover.png", "o'brien.txt"]),
    # not binds tighter than and / or
    ("not size eq 0 and size lt 300", ["intro.wav"]),
    ("not size eq 0 or size eq 0", ALL),
    ("not (size eq 0 or size eq 100)", ["100%_mix.wav", "Outro_Final.mp3", "cover.png"]),
    ("((((size eq 300))))", ["cover.png"]),
    # keywords are case-insensitive, whitespace is free
    ("size EQ 300 OR size eq 0", ["cover.png", "o'brien.txt"]),
    ("NOT (size Gt 100) AnD Contains(fileName,'B')", ["o'brien.txt"]),
    ("STARTSWITH(fileName,'c') and duration EQ Null", ["cover.png"]),
    ("  size\teq\n300  ", ["cover.png"]),
    ("(size eq 300)or(size eq 0)", ["cover.png", "o'brien.txt"]),
    ("contains( fileName , 'intro' )", ["intro.wav"]),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "expected"), MATCHES)
def test_filter_matches(session: Session, expression: str, expected: list[str]) -> None:
    assert names(session, expression) == sorted(expected)


def test_long_flat_or_chain(session: Session) -> None:
    # Close to the length bound, and flat: no recursion per "or".
    expression = " or ".join(["size eq 300"] * 130)
    assert len(expression) <= MAX_LENGTH
    assert names(session, expression) == ["cover.png"]


def test_deepest_allowed_nesting(session: Session) -> None:
    nested = "(" * MAX_DEPTH + "size eq 300" + ")" * MAX_DEPTH
    assert names(session, nested) == ["cover.png"]
    negated = "not " * (MAX_DEPTH - 1) + "(size eq 300)"  # odd count of "not"
    assert names(session, negated) == others("cover.png")


def test_compiles_for_postgresql() -> None:
    condition = parse_filter(
        "contains(fileName,'a_b') and createdAt gt 2024-01-01T00:00:00Z or duration ne 1.5"
    )
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    sql = str(condition.compile(dialect=dialect))
    assert "ILIKE" in sql and "ESCAPE '/'" in sql


ERRORS = [
    ("", "empty expression at position 0"),
    ("   ", "empty expression at position 3"),
    ("name eq 'x'", "unknown field 'name' at position 0"),
    ("fileName eq 'a' and filename eq 'b'", "unknown field 'filename' at position 20"),
    ("fileType eq 'audio'", "unknown field 'fileType' at position 0"),
    ("tolower(fileName) eq 'x'", "unknown function 'tolower' at position 0"),
    ("contains(nope,'x')", "unknown field 'nope' at position 9"),
    ("contains(size,'1')", "contains() needs a text field at position 9"),
    ("startswith(createdAt,'2024')", "startswith() needs a text field at position 11"),
    ("contains(fileName,1)", "expected a quoted string, found '1' at position 18"),
    ("contains(fileName 'x')", "expected ',', found \"'x'\" at position 18"),
    ("contains(fileName,'x'", "expected ')', found 'end of input' at position 21"),
    ("contains(fileName,'x') eq 1", "expected true or false, found '1' at position 26"),
    ("size eq 'abc'", "size needs a number, not a string at position 8"),
    ("size eq '5'", "size needs a number, not a string at position 8"),
    ("duration gt true", "duration needs a number, not a boolean at position 12"),
    ("fileName eq 5", "fileName needs a string, not a number at position 12"),
    ("fileName eq 2024-01-01", "fileName needs a string, not a datetime at position 12"),
    ("size eq 2024-01-01T00:00:00Z", "size needs a number, not a datetime at position 8"),
    ("createdAt gt 5", "createdAt needs a datetime, not a number at position 13"),
    ("createdAt gt 'yesterday'", "'yesterday' is not a valid ISO-8601 datetime at position 13"),
    ("createdAt gt 2024-13-01", "invalid literal '2024-13-01' at position 13"),
    ("updatedAt gt '0001-01-01T00:00:00+01:00'",
     "'0001-01-01T00:00:00+01:00' is not a valid ISO-8601 datetime at position 13"),
    ("status eq 'ready'", "status must be one of pending, uploaded, failed at position 10"),
    ("status gt 'failed'", "status can only be compared with eq or ne at position 7"),
    ("size gt null", "null can only be compared with eq or ne at position 8"),
    ("size eq", "expected a value, found 'end of input' at position 7"),
    ("size eq eq", "expected a value, found 'eq' at position 8"),
    ("size 5", "expected a comparison operator after size, found '5' at position 5"),
    ("size has 5", "expected a comparison operator after size, found 'has' at position 5"),
    ("size", "expected a comparison operator after size, found 'end of input' at position 4"),
    ("size eq 1 and", "expected a condition, found 'end of input' at position 13"),
    ("and size eq 1", "unknown field 'and' at position 0"),
    ("'x' eq fileName", "expected a condition, found \"'x'\" at position 0"),
    ("(size eq 1", "expected ')', found 'end of input' at position 10"),
    ("((size eq 1)", "expected ')', found 'end of input' at position 12"),
    ("size eq 1)", "unexpected ')' at position 9"),
    ("()", "expected a condition, found ')' at position 1"),
    ("size eq 1 size eq 2", "unexpected 'size' at position 10"),
    ("size eq 1 junk", "unexpected 'junk' at position 10"),
    ("size eq 1,", "unexpected ',' at position 9"),
    ("fileName eq 'abc", "unterminated string at position 12"),
    ("fileName eq 'it''s", "unterminated string at position 12"),
    ("fileName eq 'a\x00b'", "NUL character in string at position 12"),
    ("size eq 1 & size eq 2", "unexpected character '&' at position 10"),
    ("size eq 1.", "invalid literal '1.' at position 8"),
    ("size eq 5kb", "invalid literal '5kb' at position 8"),
    ("size eq -", "invalid literal '-' at position 8"),
    ("size eq 99999999999999999999", "number 99999999999999999999 is out of range at position 8"),
    ("size eq " + "9" * 1000, f"number {'9' * 1000} is out of range at position 8"),
    ("size eq -" + "9" * 1000, f"number -{'9' * 1000} is out of range at position 8"),
    ("duration gt 1" + "0" * 400 + ".5", f"number 1{'0' * 400}.5 is out of range at position 12"),
    ("fileName eq \"x\"", "unexpected character '\"' at position 12"),
    ("fileNäme eq 'x'", "unexpected character 'ä' at position 5"),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "error"), ERRORS)
def test_filter_errors(expression: str, error: str) -> None:
    with pytest.raises(CastwrightError) as caught:
        parse_filter(expression)
    assert caught.value.status == 400
    assert caught.value.message == "Invalid $filter"
    assert caught.value.errors == [f"$filter: {error}"]


def test_filter_too_long() -> None:
    expression = "size eq 1 or " * 200 + "size eq 1"
    with pytest.raises(CastwrightError) as caught:
        parse_filter(expression)
    assert caught.value.errors == [
        f"$filter: expression is longer than {MAX_LENGTH} characters at position {MAX_LENGTH}"
    ]


@pytest.mark.parametrize(
    ("expression", "position"),
    [
        ("(" * (MAX_DEPTH + 1) + "size eq 1" + ")" * (MAX_DEPTH + 1), MAX_DEPTH),
        ("not " * (MAX_DEPTH + 1) + "size eq 1", 4 * MAX_DEPTH),
        ("(" * 1000, MAX_DEPTH),  # hostile: fails fast, no RecursionError
        ("not (" * 300 + "size eq 1", 5 * 16),
    ],
)
def test_filter_too_deep(expression: str, position: int) -> None:
    with pytest.raises(CastwrightError) as caught:
        parse_filter(expression)
    assert caught.value.errors == [
        f"$filter: nesting deeper than {MAX_DEPTH} levels at position {position}"
    ]


# -- $orderBy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("createdAt", [("createdAt", False)]),
        ("createdAt desc", [("createdAt", True)]),
        ("fileName asc, size DESC", [("fileName", False), ("size", True)]),
        ("  updatedAt  Desc ,duration,status asc  ", [
            ("updatedAt", True), ("duration", False), ("status", False)]),
        ("fileType/name desc,fileCategory/name", [("fileType", True), ("category", False)]),
    ],
)  # fmt: skip
def test_order_by(expression: str, expected: list[tuple[str, bool]]) -> None:
    assert parse_order_by(expression) == expected


def test_order_by_names_are_sortable() -> None:
    every = "fileName, createdAt, updatedAt, size, duration, status, fileType/name, "
    every += "fileCategory/name"
    assert {name for name, _ in parse_order_by(every)} <= set(sortable_fields())


ORDER_ERRORS = [
    ("", "empty expression at position 0"),
    ("name", "unknown field 'name' at position 0"),
    ("createdAt desc, bogus asc", "unknown field 'bogus' at position 16"),
    ("accessControl", "cannot sort by 'accessControl' at position 0"),
    ("size, size desc", "size is listed twice at position 6"),
    ("fileType/name, fileType/name", "fileType/name is listed twice at position 15"),
    ("size descending", "unexpected 'descending' at position 5"),
    ("size desc asc", "unexpected 'asc' at position 10"),
    ("size,", "expected a field, found 'end of input' at position 5"),
    (",size", "expected a field, found ',' at position 0"),
    ("size desc fileName", "unexpected 'fileName' at position 10"),
    ("'size'", "expected a field, found \"'size'\" at position 0"),
    ("size;", "unexpected character ';' at position 4"),
    ("size," * 500, f"expression is longer than {MAX_LENGTH} characters at position {MAX_LENGTH}"),
]


@pytest.mark.parametrize(("expression", "error"), ORDER_ERRORS)
def test_order_by_errors(expression: str, error: str) -> None:
    with pytest.raises(CastwrightError) as caught:
        parse_order_by(expression)
    assert caught.value.status == 400
    assert caught.value.message == "Invalid $orderBy"
    assert caught.value.errors == [f"$orderBy: {error}"]


def test_with_repository_search(session: Session) -> None:
    query = FileQuery(
        condition=parse_filter("fileType/name eq 'audio' or status eq 'failed'"),
        order=parse_order_by("size desc"),
    )
    files, total = FileRepository(session).search("org", query)
    assert total == 4
    assert [file.name for file in files] == [
        "100%_mix.wav", "Outro_Final.mp3", "cover.png", "intro.wav"]  # fmt: skip
