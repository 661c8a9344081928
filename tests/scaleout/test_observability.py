"""Readiness, Prometheus metrics and JSON logs: on the live server (SQLite and PostgreSQL),
and in process where a dependency has to be down."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from castwright.app import create_app
from castwright.config import DatabaseSettings, JobSettings, Settings
from castwright.runtime import build_runtime
from support.api_checks import ok
from support.cluster import json_lines
from support.live_server import LiveServer, free_port

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str) -> Samples:
    response = httpx.get(f"{url}/metrics", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def speak(http: httpx.Client, text: str, request_id: str) -> dict[str, Any]:
    script_id = ok(http.post("/content/script", json={"scriptText": text}))["scriptId"]
    body = {"scriptId": script_id, "voice": "isaac", "sync": True, "useCache": False}
    data: dict[str, Any] = ok(
        http.post("/speech/tts", json=body, headers={"x-request-id": request_id})
    )
    return data


def test_readiness_and_metrics_of_a_live_server(deployment: Any) -> None:
    ready = httpx.get(f"{deployment.url}/readyz", timeout=30)
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "queue", "storage", "engines"}
    assert all(check["status"] == "ok" for check in body["checks"].values()), body
    assert body["checks"]["database"]["detail"] == deployment.backend
    assert "espeak-ng" in body["checks"]["engines"]["detail"]

    before = scrape(deployment.url)
    with httpx.Client(
        base_url=deployment.url, headers={"x-api-key": deployment.api_key}, timeout=60
    ) as http:
        speak(http, f"Metrics are counted, take {uuid.uuid4().hex[:6]}.", uuid.uuid4().hex)
        assert http.get(f"/speech/tts/{uuid.uuid4()}").status_code == 404
    after = scrape(deployment.url)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # Requests by route template, not by path (ids would make every path a new series).
    route = {"method": "GET", "route": "/speech/tts/{speechId}"}
    assert grew("castwright_http_request_duration_seconds_count", **route) == 1
    assert grew("castwright_http_responses_total", **route, status="404") == 1
    assert (
        grew("castwright_http_responses_total", method="POST", route="/speech/tts", status="200")
        == 1
    )
    # Job and synthesis figures come from the worker processes (multi-process mode).
    assert grew("castwright_job_duration_seconds_count", kind="speech.render", outcome="done") == 1
    assert grew("castwright_job_queue_wait_seconds_count", kind="speech.render") == 1
    assert grew("castwright_synthesis_real_time_factor_count", engine="espeak-ng") == 1
    assert grew("castwright_synthesis_audio_seconds_total", engine="espeak-ng") > 1.0
    # The queue as the job table has it, for every kind, zeros included.
    assert value(after, "castwright_job_table_up") == 1
    assert (
        "castwright_jobs",
        frozenset({("kind", "speech.render"), ("status", "queued")}),
    ) in after
    assert ("castwright_jobs", frozenset({("kind", "file.probe"), ("status", "dead")})) in after


def test_json_logs_carry_the_request_id_into_the_worker_process(tmp_path: Path) -> None:
    env = {"CASTWRIGHT_LOG_FORMAT": "json", "CASTWRIGHT_SPEECH__RENDER_PROCESSES": "1"}
    server = LiveServer(tmp_path / "data", workers=1, extra_env=env)
    key = server.create_key()
    server.start()
    try:
        request_id = f"trace-{uuid.uuid4().hex}"
        with httpx.Client(base_url=server.url, headers={"x-api-key": key}, timeout=60) as http:
            speak(http, "Follow this request into the worker.", request_id)
        deadline = time.monotonic() + 30  # the access line is written after the response
        while True:
            mine = [r for r in json_lines(server.log_path) if r.get("request_id") == request_id]
            http_lines = [r for r in mine if r["logger"] == "castwright.http"]
            if http_lines or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    finally:
        server.stop()
    assert len(http_lines) == 1 and "POST /speech/tts 200" in http_lines[0]["message"]
    job_lines = [r for r in mine if r["logger"] == "castwright.jobs"]
    assert len(job_lines) == 2 and all("(speech.render)" in r["message"] for r in job_lines)
    assert " started after " in job_lines[0]["message"] and " done in " in job_lines[1]["message"]
    assert len({r["job_id"] for r in job_lines}) == 1
    # Written by the worker process, not the one that answered the request.
    assert {r["process"] for r in job_lines}.isdisjoint({r["process"] for r in http_lines})
    assert all({"time", "level", "logger", "message"} <= set(r) for r in mine)


def _app(settings: Settings, with_queue: bool) -> TestClient:
    # Without entering the client's context the lifespan never runs: nothing migrates or
    # starts, as with a process whose dependencies went away after it started.
    return TestClient(create_app(settings, build_runtime(settings, with_queue=with_queue)))


def test_readiness_fails_when_the_database_is_down(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        secret_key="readiness-test",
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test",
        database=DatabaseSettings(connect_timeout_seconds=2),
    )
    client = _app(settings, with_queue=False)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    checks = body["checks"]
    assert checks["database"]["status"] == "fail" and checks["database"]["detail"]
    assert checks["storage"]["status"] == "ok" and checks["engines"]["status"] == "ok"
    # Metrics still answer, and say the job table could not be read.
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert "castwright_job_table_up 0.0" in metrics.text


def test_readiness_fails_when_the_broker_is_down(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        secret_key="readiness-test",
        queue="celery",
        broker_url=f"redis://127.0.0.1:{free_port()}/0",
        jobs=JobSettings(publish_timeout_seconds=1.0),
    )
    response = _app(settings, with_queue=True).get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "fail"
    assert checks["database"] == checks["database"] | {"status": "ok", "detail": "sqlite"}
