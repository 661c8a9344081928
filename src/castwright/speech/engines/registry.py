"""EngineRegistry: which speech engines this server can use, and why the others cannot.

Engines are found through the entry-point group ``castwright.engines`` (so a separate
package can add one) plus, on request, the built-in ``FakeEngine``. An engine whose class
cannot be imported, or whose constructor raises ``EngineUnavailable``, is recorded with the
reason instead of stopping the server. Constructors only look for binaries and files, so
loading the registry costs milliseconds, not a synthesis. An engine class with a
``from_settings(settings)`` class method is built with it when settings are given (the
neural engines find their voices directory there); otherwise it is called with no arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

from castwright.speech.engines.base import Engine, EngineUnavailable
from castwright.speech.engines.fake import FakeEngine

if TYPE_CHECKING:
    from castwright.config import Settings

__all__ = ["ENTRY_POINT_GROUP", "EngineNotAvailable", "EngineRegistry"]

ENTRY_POINT_GROUP = "castwright.engines"


class EngineNotAvailable(KeyError):
    """The engine asked for is not installed or not enabled; the message says what to do."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name)
        self.name = name
        self.reason = reason

    def __str__(self) -> str:  # KeyError would show only the quoted name
        return f"speech engine {self.name!r} is not available: {self.reason}"


def _construct(entry_point: EntryPoint, settings: Settings | None) -> Engine:
    """Import and build one engine. Raises EngineUnavailable for any expected failure."""
    try:
        factory = entry_point.load()
    except ImportError as exc:
        raise EngineUnavailable(f"cannot import {entry_point.value}: {exc}") from exc
    from_settings = getattr(factory, "from_settings", None)
    engine = from_settings(settings) if settings is not None and from_settings else factory()
    if not isinstance(engine, Engine):
        raise EngineUnavailable(f"{entry_point.value} does not implement the Engine protocol")
    return engine


class EngineRegistry:
    """The engines that work here, keyed by name, and the reasons the others do not."""

    def __init__(
        self, engines: Iterable[Engine] = (), unavailable: Mapping[str, str] | None = None
    ) -> None:
        self._engines = {engine.name: engine for engine in engines}
        self._unavailable = dict(unavailable or {})

    @classmethod
    def load(
        cls,
        enabled: list[str] | None = None,
        include_fake: bool = False,
        settings: Settings | None = None,
    ) -> EngineRegistry:
        """Discover and construct engines.

        enabled: engine names to load; None loads every installed one. A name that no
        installed package provides is recorded as unavailable. "fake" in ``enabled`` or
        ``include_fake`` adds the built-in FakeEngine. settings: handed to engines that take
        them (``from_settings``); without them such engines use their defaults.
        """
        wanted = None if enabled is None else set(enabled)
        engines: list[Engine] = []
        unavailable: dict[str, str] = {}
        discovered = {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}
        for name, point in sorted(discovered.items()):
            if wanted is not None and name not in wanted:
                continue
            try:
                engines.append(_construct(point, settings))
            except EngineUnavailable as exc:
                unavailable[name] = str(exc)
        if include_fake or (wanted is not None and FakeEngine.name in wanted):
            engines.append(FakeEngine())
        for name in sorted((wanted or set()) - set(discovered) - {FakeEngine.name}):
            known = ", ".join(sorted([*discovered, FakeEngine.name]))
            unavailable[name] = f"no installed package provides it (known engines: {known})"
        return cls(engines, unavailable)

    def get(self, name: str) -> Engine:
        """The engine called ``name``; ``EngineNotAvailable`` (a KeyError) says why not."""
        engine = self._engines.get(name)
        if engine is not None:
            return engine
        reason = self._unavailable.get(name)
        if reason is None:
            names = ", ".join(sorted(self._engines)) or "none"
            reason = f"it is not enabled on this server (available: {names})"
        raise EngineNotAvailable(name, reason)

    def available(self) -> dict[str, Engine]:
        """Working engines by name."""
        return dict(self._engines)

    def unavailable(self) -> dict[str, str]:
        """Engines that could not be loaded, by name, with the reason and the fix."""
        return dict(self._unavailable)

    def __contains__(self, name: object) -> bool:
        return name in self._engines

    def __iter__(self) -> Iterator[Engine]:
        return iter(self._engines.values())
