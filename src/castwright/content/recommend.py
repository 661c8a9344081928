"""Recommendation rules: what a request may ask, and the answers in the core's own terms."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from castwright.config import Settings
from castwright.errors import Invalid, ServiceUnavailable
from castwright.nlp.embeddings import ModelUnavailable, load_encoder
from castwright.nlp.iab import TAXONOMY_VERSION
from castwright.nlp.recommend import IabMatch, Ranked, Recommender

__all__ = [
    "MAX_TEXT_CHARS",
    "IabRecommendation",
    "RecommendService",
    "recommender_for",
]

MAX_TEXT_CHARS = 100_000
MAX_TAGS = 500
MAX_TAG_CHARS = 200
MAX_VOCABULARY_RESULTS = 10
MAX_IAB_RESULTS = 10
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")

_recommenders: dict[str, Recommender] = {}
_recommenders_lock = threading.Lock()


def recommender_for(settings: Settings) -> Recommender:
    """The process-wide recommender for these settings (the model loads on first use)."""
    key = f"{settings.content.model_dir}|{settings.data_dir}"
    with _recommenders_lock:
        if key not in _recommenders:
            try:
                encoder = load_encoder(settings.content.model_dir)
            except ModelUnavailable as error:
                raise ServiceUnavailable(
                    "Recommendations need the sentence-embedding model", errors=[str(error)]
                ) from None
            _recommenders[key] = Recommender(encoder, settings.data_dir / "cache" / "nlp")
        return _recommenders[key]


@dataclass(frozen=True)
class IabRecommendation:
    matches: list[IabMatch]
    warnings: list[str]
    taxonomy_version: str = TAXONOMY_VERSION


def _text(text: str | None) -> str:
    if text is None or not text.strip():
        raise Invalid("is required and may not be empty", field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise Invalid(f"may be at most {MAX_TEXT_CHARS} characters", field="text")
    if "\x00" in text:
        raise Invalid("may not contain NUL characters", field="text")
    return text


def _count(value: int | None, default: int, most: int, field: str) -> int:
    count = default if value is None else value
    if not 1 <= count <= most:
        raise Invalid(f"must be between 1 and {most}", field=field)
    return count


class RecommendService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def recommender(self) -> Recommender:
        return recommender_for(self.settings)

    def tones(self, text: str | None, count: int | None, field: str) -> list[Ranked]:
        checked = _text(text)
        return self.recommender.tones(checked, _count(count, 1, MAX_VOCABULARY_RESULTS, field))

    def moods(self, text: str | None, count: int | None, field: str) -> list[Ranked]:
        checked = _text(text)
        return self.recommender.moods(checked, _count(count, 1, MAX_VOCABULARY_RESULTS, field))

    def tags(
        self, text: str | None, tags: list[str] | None, count: int | None, field: str
    ) -> list[Ranked]:
        checked = _text(text)
        candidates = list(dict.fromkeys(t.strip() for t in tags or [] if t and t.strip()))
        if len(candidates) < 2:
            raise Invalid("must list at least 2 different tags to choose from", field="tags")
        if len(candidates) > MAX_TAGS:
            raise Invalid(f"may list at most {MAX_TAGS} tags", field="tags")
        if any(len(t) > MAX_TAG_CHARS or "\x00" in t for t in candidates):
            raise Invalid(
                f"each tag must be text of at most {MAX_TAG_CHARS} characters", field="tags"
            )
        wanted = _count(count, 1, len(candidates), field)
        return self.recommender.tags(checked, candidates, wanted)

    def iab(
        self, text: str | None, count: int | None, language: str | None, field: str
    ) -> IabRecommendation:
        checked = _text(text)
        wanted = _count(count, 3, MAX_IAB_RESULTS, field)
        code = (language or "en").strip()
        if not _LANGUAGE.match(code):
            raise Invalid("must be a language code such as 'en' or 'en-GB'", field="language")
        warnings = []
        if code.split("-")[0].lower() != "en":
            warnings.append(
                f"language: the model reads English; categories for {code!r} text are less reliable"
            )
        return IabRecommendation(self.recommender.iab(checked, wanted), warnings)
