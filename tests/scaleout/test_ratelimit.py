"""Rate-limit stores: the in-process one, and the Redis one several API processes share."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from castwright.config import Settings
from castwright.ratelimit import (
    MemoryRateLimitStore,
    RateLimitStore,
    RedisRateLimitStore,
    rate_limit_store_for,
)
from support.cluster import RedisServer, redis_unavailable
from support.live_server import free_port


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if reason := redis_unavailable():
        pytest.skip(reason)
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server.url
    server.kill()


@pytest.fixture(params=["memory", "redis"])
def make_store(request: pytest.FixtureRequest) -> Callable[[], RateLimitStore]:
    """A factory: every call is another process's view of the same counters."""
    if request.param == "memory":
        shared = MemoryRateLimitStore()
        return lambda: shared
    url = request.getfixturevalue("redis_url")
    return lambda: RedisRateLimitStore(url)


def test_a_key_gets_its_limit_then_waits(make_store: Callable[[], RateLimitStore]) -> None:
    store, key = make_store(), f"key-{uuid.uuid4().hex}"
    assert [store.hit(key, limit=3, window_seconds=60) for _ in range(3)] == [None] * 3
    wait = store.hit(key, limit=3, window_seconds=60)
    assert wait is not None and 1 <= wait <= 60
    assert store.hit(f"other-{key}", limit=3, window_seconds=60) is None  # keys are separate
    store.reset(key)
    assert store.hit(key, limit=3, window_seconds=60) is None


def test_counts_are_shared_by_every_process(make_store: Callable[[], RateLimitStore]) -> None:
    first, second, key = make_store(), make_store(), f"key-{uuid.uuid4().hex}"
    assert first.hit(key, limit=2, window_seconds=60) is None
    assert second.hit(key, limit=2, window_seconds=60) is None
    assert first.hit(key, limit=2, window_seconds=60) is not None
    assert second.hit(key, limit=2, window_seconds=60) is not None


def test_the_window_slides(make_store: Callable[[], RateLimitStore]) -> None:
    store, key = make_store(), f"key-{uuid.uuid4().hex}"
    assert store.hit(key, limit=1, window_seconds=0.3) is None
    assert store.hit(key, limit=1, window_seconds=0.3) == 1  # whole seconds, at least one
    time.sleep(0.4)  # more than the window: the first event has left it
    assert store.hit(key, limit=1, window_seconds=0.3) is None


def test_concurrent_hits_never_exceed_the_limit(make_store: Callable[[], RateLimitStore]) -> None:
    key, allowed, lock = f"key-{uuid.uuid4().hex}", [], threading.Lock()
    stores = [make_store() for _ in range(4)]
    start = threading.Barrier(20)

    def hit(index: int) -> None:
        start.wait()
        if stores[index % 4].hit(key, limit=7, window_seconds=60) is None:
            with lock:
                allowed.append(index)

    threads = [threading.Thread(target=hit, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 7


def test_the_store_follows_the_settings(redis_url: str, tmp_path: Path) -> None:
    alone = Settings(_env_file=None, data_dir=tmp_path)
    assert isinstance(rate_limit_store_for(alone), MemoryRateLimitStore)
    with_broker = Settings(_env_file=None, data_dir=tmp_path, queue="celery", broker_url=redis_url)
    assert with_broker.effective_redis_url == redis_url
    assert isinstance(rate_limit_store_for(with_broker), RedisRateLimitStore)
    explicit = Settings(_env_file=None, data_dir=tmp_path, redis_url=redis_url)
    assert isinstance(rate_limit_store_for(explicit), RedisRateLimitStore)


def test_redis_unreachable_lets_requests_through() -> None:
    store = RedisRateLimitStore(f"redis://127.0.0.1:{free_port()}/0")
    assert [store.hit("key", limit=1, window_seconds=60) for _ in range(3)] == [None] * 3
