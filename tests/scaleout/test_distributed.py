"""Castwright spread over processes as over hosts: PostgreSQL, Redis, two API processes, two
Celery workers. Every job accepted completes, and completes exactly once, through a burst, a
worker killed mid-job, the broker restarting, and an API process dying.

"Exactly once" is read from three places that would each show a second run: the job row (done,
attempts), the workers' JSON logs (one "done" line per job, across both workers, carrying the
id of the request that asked for it) and the workers' Prometheus counters.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from support.api_checks import fetch_wav, ok
from support.cluster import ApiProcess, Cluster, WorkerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

# A guard against a hung job, not a performance expectation: nothing asserts how long it took.
POLL_LIMIT_SECONDS = 240.0
SENTENCE = "The quarterly report shows steady growth across every region, thank you for listening."


@dataclass(frozen=True)
class Submitted:
    kind: str  # "speech" or "mix"
    resource_id: str
    request_id: str

    @property
    def path(self) -> str:
        return (
            f"/speech/tts/{self.resource_id}"
            if self.kind == "speech"
            else (f"/production/mix/{self.resource_id}")
        )


def _client(cluster: Cluster, api: ApiProcess) -> httpx.Client:
    return httpx.Client(base_url=api.url, headers={"x-api-key": cluster.api_key}, timeout=60)


def _script(http: httpx.Client, text: str) -> str:
    script_id: str = ok(http.post("/content/script", json={"scriptText": text}))["scriptId"]
    return script_id


def submit_speech(cluster: Cluster, api: ApiProcess, text: str) -> Submitted:
    request_id = f"tts-{uuid.uuid4().hex}"
    with _client(cluster, api) as http:
        body = {"scriptId": _script(http, text), "voice": "isaac", "sync": False}
        response = http.post("/speech/tts", json=body, headers={"x-request-id": request_id})
        data = ok(response, response.status_code if response.status_code in (200, 202) else 200)
    return Submitted("speech", data["speechId"], request_id)


def submit_mix(cluster: Cluster, api: ApiProcess, text: str, **options: Any) -> Submitted:
    request_id = f"mix-{uuid.uuid4().hex}"
    with _client(cluster, api) as http:
        body = {"scriptId": _script(http, text), "masteringPreset": "balanced", **options}
        response = http.post("/production/mix", json=body, headers={"x-request-id": request_id})
        data = ok(response, response.status_code if response.status_code in (200, 202) else 200)
    return Submitted("mix", data["productionId"], request_id)


def finish(cluster: Cluster, api: ApiProcess, item: Submitted) -> dict[str, Any]:
    """The finished object, polled through ``api`` (any API process answers for any job)."""
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    with _client(cluster, api) as http:
        while True:
            response = http.get(item.path)
            if response.status_code != 202:
                data: dict[str, Any] = ok(response)
                assert data["status"] == "completed", data
                return data
            assert time.monotonic() < deadline, f"{item} unfinished: {cluster.jobs()}"
            time.sleep(0.2)


def job_of(cluster: Cluster, item: Submitted) -> Any:
    [job] = cluster.jobs("request_id = :rid", rid=item.request_id)
    return job


def assert_ran_exactly_once(cluster: Cluster, items: list[Submitted]) -> None:
    records = list(cluster.worker_records())
    for item in items:
        job = job_of(cluster, item)
        assert job.status == "done", job
        mine = [r for r in records if r.get("job_id") == job.id]
        done = [r for r in mine if " done in " in r["message"]]
        assert len(done) == 1, f"job {job.id} completed {len(done)} times: {done}"
        # The request id travelled from the HTTP request, via the job row, into the worker.
        assert {r.get("request_id") for r in mine} == {item.request_id}
        started = [r for r in mine if " started after " in r["message"]]
        assert len(started) == job.attempts, (job, started)


def check_speech_audio(data: dict[str, Any]) -> None:
    section = data["sections"][0]
    _, wav = fetch_wav(section["url"])
    assert wav.sample_rate == 22050 and wav.channels == 1  # espeak-ng's own rate
    assert wav.duration == pytest.approx(section["duration"], abs=0.01)
    assert wav.duration > 1.0 and wav.rms_dbfs > -40


def check_mix_audio(data: dict[str, Any], at_least: float) -> None:
    files = {f["kind"]: f for f in data["files"]}
    _, wav = fetch_wav(files["mix"]["url"])
    assert (wav.sample_rate, wav.channels) == (48000, 2)
    assert wav.duration == pytest.approx(files["mix"]["duration"], abs=0.002)
    assert wav.duration >= at_least and wav.rms_dbfs > -40


def jobs_done_by_kind(worker: WorkerProcess) -> Counter[str]:
    """The worker's own count of completed jobs per kind (its /metrics endpoint)."""
    text = httpx.get(worker.metrics_url, timeout=10).text
    counts: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (
                sample.name == "castwright_job_duration_seconds_count"
                and sample.labels.get("outcome") == "done"
            ):
                counts[sample.labels["kind"]] += int(sample.value)
    return counts


def _restart_if_dead(process: WorkerProcess | ApiProcess) -> None:
    if not process.alive:
        process.start()


def test_a_burst_through_both_api_processes_completes_exactly_once(cluster: Cluster) -> None:
    before = sum((jobs_done_by_kind(w) for w in cluster.workers), Counter())
    items: list[Submitted] = []
    for n in range(8):
        api = cluster.apis[n % 2]
        tag = uuid.uuid4().hex[:6]
        if n % 4 == 3:
            items.append(submit_mix(cluster, api, f"Mix {n}, batch {tag}. {SENTENCE}"))
        else:
            items.append(submit_speech(cluster, api, f"Speech {n}, batch {tag}. {SENTENCE}"))
    results = [finish(cluster, cluster.apis[(n + 1) % 2], item) for n, item in enumerate(items)]

    assert_ran_exactly_once(cluster, items)
    for item, data in zip(items, results, strict=True):
        if item.kind == "speech":
            check_speech_audio(data)
        else:
            check_mix_audio(data, at_least=3.0)
    runs = [job_of(cluster, item) for item in items]
    assert all(job.attempts == 1 for job in runs), runs  # nothing failed, nothing was lost
    # Both workers took part, and their counters add up to one run per job.
    assert {job.worker.split(":")[0] for job in runs} == {w.node for w in cluster.workers}
    after = sum((jobs_done_by_kind(w) for w in cluster.workers), Counter())
    assert after - before == Counter({"speech.render": 6, "production.mix": 2})

    # The job table is empty of work, as the API's /metrics reads it (api-b: two processes).
    metrics = httpx.get(f"{cluster.apis[1].url}/metrics", timeout=10).text
    queued = [
        s
        for f in text_string_to_metric_families(metrics)
        for s in f.samples
        if s.name == "castwright_jobs" and s.labels["status"] in ("queued", "running")
    ]
    assert queued and all(s.value == 0 for s in queued), queued


def test_a_worker_killed_mid_job_loses_nothing(cluster: Cluster) -> None:
    text = " ".join([SENTENCE] * 20)  # about two minutes of speech, mixed over a template
    item = submit_mix(cluster, cluster.apis[0], text, soundTemplate="corporate")
    deadline = time.monotonic() + POLL_LIMIT_SECONDS
    while (job := job_of(cluster, item)).status != "running":
        assert job.status == "queued", job
        assert time.monotonic() < deadline
        time.sleep(0.05)
    [victim] = [w for w in cluster.workers if job.worker.startswith(w.node + ":")]
    [survivor] = [w for w in cluster.workers if w is not victim]
    victim.kill()  # SIGKILL to the worker and its child, mid-mix
    try:
        data = finish(cluster, cluster.apis[1], item)
        job = job_of(cluster, item)
        assert job.attempts == 2 and job.worker.startswith(survivor.node + ":"), job
        assert_ran_exactly_once(cluster, [item])
        check_mix_audio(data, at_least=60.0)
    finally:
        _restart_if_dead(victim)


def test_the_broker_restarting_mid_burst_loses_nothing(cluster: Cluster) -> None:
    items = [
        submit_speech(
            cluster, cluster.apis[n % 2], f"Before {n} {uuid.uuid4().hex[:6]}. {SENTENCE}"
        )
        for n in range(4)
    ]
    items.append(submit_mix(cluster, cluster.apis[0], f"Mix {uuid.uuid4().hex[:6]}. {SENTENCE}"))
    cluster.redis.kill()  # with every message it held: it keeps nothing on disk
    try:
        # Requests still succeed; readiness says why this process should get no traffic.
        for n in range(2):
            items.append(
                submit_speech(
                    cluster, cluster.apis[n], f"Down {n} {uuid.uuid4().hex[:6]}. {SENTENCE}"
                )
            )
        ready = httpx.get(f"{cluster.apis[0].url}/readyz", timeout=30)
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert checks["broker"]["status"] == "fail" and checks["database"]["status"] == "ok"
    finally:
        cluster.redis.start()
    items += [
        submit_speech(cluster, cluster.apis[n % 2], f"After {n} {uuid.uuid4().hex[:6]}. {SENTENCE}")
        for n in range(2)
    ]
    for item in items:
        data = finish(cluster, cluster.apis[1], item)
        if item.kind == "speech":
            check_speech_audio(data)
    assert_ran_exactly_once(cluster, items)
    assert httpx.get(f"{cluster.apis[0].url}/readyz", timeout=30).status_code == 200


def test_an_api_process_dying_does_not_affect_jobs(cluster: Cluster) -> None:
    victim, survivor = cluster.apis
    text = " ".join([SENTENCE] * 6)
    items = [
        submit_mix(cluster, victim, f"Mix {n} {uuid.uuid4().hex[:6]}. {text}") for n in range(3)
    ]
    victim.kill()
    try:
        unfinished = [i for i in items if job_of(cluster, i).status in ("queued", "running")]
        assert unfinished, "every job had finished before the API process died"
        for item in items:
            check_mix_audio(finish(cluster, survivor, item), at_least=20.0)
        assert_ran_exactly_once(cluster, items)
    finally:
        _restart_if_dead(victim)
