"""Benchmark 6: `GET /content/file/search` with 100,000 files in the library, on SQLite and on
PostgreSQL.

For each backend: a fresh database migrated to head and filled in bulk (bench/library.py)
before `castwright serve` starts on it; then, per query kind, sequential requests on one
keep-alive connection and a closed-loop run over several connections (bench/loadgen.py).
After the HTTP runs the benchmark replays the same queries in-process (the repository's own
statements, captured as they execute) to time the SQL alone and record the query plans.

    .venv/bin/python -m bench.search [--quick] [--files N]    # on its own
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bench import procfs
from bench.client import Client
from bench.library import LibraryStats, populate
from bench.loadgen import LoadResult, run_load
from bench.servers import CastwrightServer
from bench.stats import median, percentile
from castwright.auth.service import DEFAULT_ORG
from castwright.db.engine import make_engine
from castwright.files.repository import FileQuery, FileRepository

__all__ = [
    "QUERIES",
    "BackendResult",
    "KindResult",
    "PostgresSchema",
    "SearchResult",
    "postgres_base_url",
    "search",
]

Log = Callable[[str], None]
Sched = procfs.Sched
_ZERO = Sched(0.0, 0.0)
SLOW_MS = 100.0  # a query kind whose sequential p50 is above this gets its plan looked at

# (label, query parameters): what a library UI asks most. Every search sorts (the route's
# default is -dateCreated) and returns one page of at most 100 files with signed URLs.
QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("path prefix", {"path": "music/beds"}),
    ("name substring", {"name": "storm"}),
    ("category", {"category": "sfx"}),
    ("two tags", {"tags": "loop,approved"}),
    ("newest first, page 10", {"sortBy": "-dateCreated", "page": "10"}),
)


def file_query(params: dict[str, str]) -> FileQuery:
    """The FileQuery that `GET /content/file/search` builds from these parameters."""
    sort = params.get("sortBy", "-dateCreated")
    page, limit = int(params.get("page", "1")), int(params.get("pageLimit", "100"))
    return FileQuery(
        path=params.get("path") or None,
        name=params.get("name") or None,
        category=params.get("category") or None,
        tags=[t.strip() for t in params.get("tags", "").split(",") if t.strip()],
        order=[(sort.lstrip("-+"), sort.startswith("-"))],
        offset=(page - 1) * limit,
        limit=limit,
    )


@dataclass
class KindResult:
    label: str
    query: str  # the query string sent
    total: int  # files matching
    page: int  # files on the page returned
    body_bytes: int
    sequential: list[float] = field(default_factory=list)  # seconds per request
    load: LoadResult | None = None
    warmup: float = 1.0
    server: Sched = _ZERO  # the server process during the concurrent run
    database: Sched | None = None  # PostgreSQL backends of the server, same run
    sql_count: float = 0.0  # seconds, median, replayed in-process
    sql_page: float = 0.0
    sql_count_cpu: float = 0.0  # CPU seconds of the database engine, median
    sql_page_cpu: float = 0.0
    plans: list[str] = field(default_factory=list)  # count statement, page statement

    def seq_ms(self, q: float) -> float:
        return percentile(self.sequential, q) * 1000

    def load_ms(self, q: float) -> float:
        return percentile(self.load.latencies, q) * 1000 if self.load else float("nan")

    @property
    def slow(self) -> bool:
        return self.seq_ms(50) > SLOW_MS

    @property
    def client_cpu_share(self) -> float:
        if self.load is None:
            return float("nan")
        return self.load.client_cpu / (self.load.duration + self.warmup)


@dataclass
class BackendResult:
    name: str  # SQLite | PostgreSQL
    version: str = ""
    skipped: str = ""  # why it did not run
    library: LibraryStats | None = None
    server_start: float = 0.0
    kinds: list[KindResult] = field(default_factory=list)


@dataclass
class SearchResult:
    files: int
    connections: int
    duration: float
    sequential_max: int
    sequential_seconds: float
    backends: list[BackendResult] = field(default_factory=list)


# -- PostgreSQL ------------------------------------------------------------------------------


def postgres_base_url() -> str:
    return (
        os.environ.get("CASTWRIGHT_BENCH_POSTGRES_URL")
        or os.environ.get("CASTWRIGHT_TEST_POSTGRES_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


class PostgresSchema:
    """A schema of its own in the test database, dropped afterwards (idempotently, and even
    when a connection of this process is still inside a transaction on it)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.name = f"cw_bench_{uuid.uuid4().hex[:10]}"
        self.created = False
        self._admin: sa.Engine | None = None

    @property
    def admin(self) -> sa.Engine:
        if self._admin is None:
            self._admin = sa.create_engine(self.base_url, connect_args={"connect_timeout": 3})
        return self._admin

    def unavailable(self) -> str | None:
        """None when PostgreSQL answers, else why not."""
        try:
            with self.admin.connect() as connection:
                connection.execute(sa.text("select 1"))
        except Exception as error:  # any failure means: skip, and say why
            return f"PostgreSQL not reachable at {self.base_url}: {error.__class__.__name__}"
        return None

    def version(self) -> str:
        with self.admin.connect() as connection:
            return str(connection.execute(sa.text("show server_version")).scalar()).split()[0]

    @property
    def url(self) -> str:
        joiner = "&" if "?" in self.base_url else "?"
        # application_name tells this schema's server connections apart in pg_stat_activity.
        options = f"options=-csearch_path%3D{self.name}&application_name={self.name}"
        return f"{self.base_url}{joiner}{options}"

    def create(self) -> str:
        with self.admin.begin() as connection:
            connection.execute(sa.text(f'create schema "{self.name}"'))
        self.created = True
        return self.url

    def backends(self) -> list[int]:
        """Process ids of the server's PostgreSQL connections."""
        with self.admin.connect() as connection:
            pids = connection.execute(
                sa.text("select pid from pg_stat_activity where application_name = :name"),
                {"name": self.name},
            ).scalars()
            return [int(pid) for pid in pids]

    def drop(self) -> None:
        if self.created:
            with self.admin.connect() as connection:
                for attempt in (1, 2):
                    try:
                        with connection.begin():
                            connection.execute(sa.text("set local lock_timeout = '5s'"))
                            connection.execute(sa.text(f'drop schema "{self.name}" cascade'))
                        break
                    except OperationalError:
                        if attempt == 2:
                            raise
                        # Something still holds a lock on it (an insert interrupted by
                        # Ctrl-C, a server that would not stop): end those connections.
                        connection.execute(
                            sa.text(
                                "select pg_terminate_backend(pid) from pg_stat_activity "
                                "where application_name = :name"
                            ),
                            {"name": self.name},
                        )
                        connection.commit()
            self.created = False
        if self._admin is not None:
            self._admin.dispose()
            self._admin = None


def _backends_sched(schema: PostgresSchema | None) -> dict[int, Sched]:
    if schema is None:
        return {}
    return {pid: procfs.sched(pid) for pid in schema.backends()}


def _since(after: dict[int, Sched], before: dict[int, Sched]) -> Sched:
    used = [now.since(before.get(pid, _ZERO)) for pid, now in after.items()]
    return Sched(sum(u.on_cpu for u in used), sum(u.waiting for u in used))


# -- measuring -------------------------------------------------------------------------------


def _sequential(
    client: Client, path: str, at_most: int, seconds: float
) -> tuple[list[float], dict[str, Any], int]:
    """Two warm-up requests, then up to ``at_most`` requests or ``seconds``, at least 10."""
    reply = client.get(path)
    if reply.status != 200:
        raise RuntimeError(f"GET {path}: {reply.status} {reply.body[:300]!r}")
    client.get(path)
    timings: list[float] = []
    deadline = time.perf_counter() + seconds
    while len(timings) < at_most and (len(timings) < 10 or time.perf_counter() < deadline):
        started = time.perf_counter()
        answer = client.get(path)
        timings.append(time.perf_counter() - started)
        if answer.status != 200:
            raise RuntimeError(f"GET {path}: {answer.status} {answer.body[:300]!r}")
    return timings, reply.data(), len(reply.body)


def _replay_sql(
    url: str, kinds: list[KindResult], queries: list[FileQuery], log: Log, runs: int = 5
) -> None:
    """Time each kind's two statements (count, page) in-process and keep their plans.

    Wall time, and the CPU time of whatever ran the SQL: this thread for SQLite, the
    connection's backend process for PostgreSQL (schedstat). On a busy machine the CPU time
    is the steadier figure.
    """
    engine = make_engine(url)
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    postgres = engine.dialect.name == "postgresql"
    try:
        for kind, query in zip(kinds, queries, strict=True):
            captured.clear()
            sa.event.listen(engine, "before_cursor_execute", capture)
            try:
                with Session(engine) as session:
                    FileRepository(session).search(DEFAULT_ORG, query)
            finally:
                sa.event.remove(engine, "before_cursor_execute", capture)
            if len(captured) != 2:
                raise RuntimeError(f"expected a count and a page statement, got {len(captured)}")
            seconds: list[float] = []
            cpu: list[float] = []
            kind.plans = []
            with engine.connect() as connection:
                clock: Callable[[], float] = time.thread_time
                if postgres:
                    backend = connection.exec_driver_sql("select pg_backend_pid()").scalar_one()
                    clock = functools.partial(_on_cpu, int(backend))
                for statement, parameters in captured:
                    connection.exec_driver_sql(statement, parameters).fetchall()  # warm
                    walls, cpus = [], []
                    for _ in range(runs):
                        started, used = time.perf_counter(), clock()
                        connection.exec_driver_sql(statement, parameters).fetchall()
                        cpus.append(clock() - used)
                        walls.append(time.perf_counter() - started)
                    seconds.append(median(walls))
                    cpu.append(median(cpus))
                    kind.plans.append(_plan(connection, statement, parameters, postgres))
                connection.rollback()
            kind.sql_count, kind.sql_page = seconds
            kind.sql_count_cpu, kind.sql_page_cpu = cpu
            log(
                f"    {kind.label}: SQL count {kind.sql_count * 1000:.1f} ms "
                f"(CPU {kind.sql_count_cpu * 1000:.1f}), page {kind.sql_page * 1000:.1f} ms "
                f"(CPU {kind.sql_page_cpu * 1000:.1f})"
            )
    finally:
        engine.dispose()


def _on_cpu(pid: int) -> float:
    return procfs.sched(pid).on_cpu


def _plan(connection: sa.Connection, statement: str, parameters: Any, postgres: bool) -> str:
    if postgres:
        plan = connection.exec_driver_sql("EXPLAIN (COSTS OFF) " + statement, parameters)
        return "\n".join(str(line) for line in plan.scalars())
    steps = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in steps:
        depth[int(node)] = depth.get(int(parent), -1) + 1
        lines.append("  " * depth[int(node)] + str(detail))
    return "\n".join(lines)


def _measure_backend(
    result: BackendResult,
    server: CastwrightServer,
    url: str,
    schema: PostgresSchema | None,
    *,
    files: int,
    connections: int,
    duration: float,
    warmup: float,
    sequential_max: int,
    sequential_seconds: float,
    log: Log,
) -> None:
    server.data_dir.mkdir(parents=True, exist_ok=True)
    server.create_key()  # migrates to head
    result.library = populate(url, server.data_dir, files=files, log=log)
    started = time.monotonic()
    server.start()
    result.server_start = time.monotonic() - started
    headers = {"x-api-key": server.api_key}
    with Client(server.port, server.api_key) as client:
        for label, params in QUERIES:
            path = "/content/file/search?" + urlencode(params, safe="/,")
            timings, data, body = _sequential(client, path, sequential_max, sequential_seconds)
            kind = KindResult(
                label=label,
                query=urlencode(params, safe="/,"),
                total=int(data["total"]),
                page=len(data["items"]),
                body_bytes=body,
                sequential=timings,
                warmup=warmup,
            )
            tree_before, db_before = procfs.tree_sched(server.pid), _backends_sched(schema)
            kind.load = run_load(
                server.port,
                path,
                headers,
                connections=connections,
                duration=duration,
                warmup=warmup,
            )
            kind.server = _since(procfs.tree_sched(server.pid), tree_before)
            if schema is not None:
                kind.database = _since(_backends_sched(schema), db_before)
            result.kinds.append(kind)
            log(
                f"    {label}: {kind.total:,} files ({kind.page} on the page); sequential p50 "
                f"{kind.seq_ms(50):.1f} ms, p99 {kind.seq_ms(99):.1f} ms; {connections} "
                f"connections p50 {kind.load_ms(50):.1f} ms, p99 {kind.load_ms(99):.1f} ms, "
                f"{kind.load.rps:,.1f} req/s, errors {kind.load.errors}; server on CPU "
                f"{kind.server.on_cpu:.1f} s, waiting {kind.server.waiting:.1f} s"
            )
    server.stop()
    _replay_sql(
        url or f"sqlite:///{server.data_dir / 'castwright.db'}",
        result.kinds,
        [file_query(params) for _, params in QUERIES],
        log,
    )


def _log_tail(server: CastwrightServer, log: Log) -> None:
    # Without the one-line-per-request access log, which would bury the error.
    lines = [line for line in server.log().splitlines() if "castwright.http:" not in line]
    if lines:
        log(f"--- {server.name} ({server.data_dir.name}) log, last lines ---")
        log("\n".join(lines[-40:]))


def search(
    work: Path,
    *,
    files: int = 100_000,
    connections: int = 8,
    duration: float = 10.0,
    warmup: float = 1.0,
    sequential_max: int = 50,
    sequential_seconds: float = 4.0,
    log: Log = print,
    on_cleanup: Callable[[Callable[[], None]], None] = lambda _: None,
) -> SearchResult:
    """Benchmark 6 on SQLite, then PostgreSQL (skipped, with the reason, when unreachable).

    ``on_cleanup`` receives every server's stop and the schema's drop as they come into
    being, so an interrupted run can still clean up.
    """
    import sqlite3

    result = SearchResult(files, connections, duration, sequential_max, sequential_seconds)
    measure = functools.partial(
        _measure_backend,
        files=files,
        connections=connections,
        duration=duration,
        warmup=warmup,
        sequential_max=sequential_max,
        sequential_seconds=sequential_seconds,
        log=log,
    )

    log("  SQLite (the default: a file in the data directory)")
    sqlite = BackendResult("SQLite", version=sqlite3.sqlite_version)
    result.backends.append(sqlite)
    server = CastwrightServer(work / "search-sqlite")
    on_cleanup(server.stop)
    try:
        measure(sqlite, server, "", None)
    except BaseException:
        _log_tail(server, log)
        raise
    finally:
        server.stop()

    postgres = BackendResult("PostgreSQL")
    result.backends.append(postgres)
    schema = PostgresSchema(postgres_base_url())
    reason = schema.unavailable()
    if reason:
        log(f"  PostgreSQL skipped: {reason}")
        postgres.skipped = reason
        schema.drop()
        return result
    postgres.version = schema.version()
    log(f"  PostgreSQL {postgres.version} (schema {schema.name})")
    on_cleanup(schema.drop)
    url = schema.create()
    server = CastwrightServer(work / "search-postgres", database_url=url)
    on_cleanup(server.stop)
    try:
        measure(postgres, server, url, schema)
    except BaseException:
        _log_tail(server, log)
        raise
    finally:
        server.stop()
        schema.drop()
    return result


def main(argv: list[str] | None = None) -> int:
    from bench.report import search_section

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 files, 2 s runs")
    parser.add_argument("--files", type=int, default=0)
    args = parser.parse_args(argv)
    files = args.files or (20_000 if args.quick else 100_000)
    duration = 2.0 if args.quick else 10.0
    temp = Path(tempfile.mkdtemp(prefix="castwright-bench-"))
    cleanups: list[Callable[[], None]] = []
    try:
        result = search(temp, files=files, duration=duration, on_cleanup=cleanups.append)
    finally:
        for cleanup in reversed(cleanups):
            cleanup()
        shutil.rmtree(temp, ignore_errors=True)
    print("\n".join(search_section(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
