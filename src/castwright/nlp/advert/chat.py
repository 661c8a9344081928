"""Writing and editing adverts with an operator's OpenAI-compatible chat model.

The model is asked for JSON with the three sections. What comes back is checked as the
built-in writer's output is: every section present, the product named, no markup, and the
spoken length within the tolerance (a draft that runs long is trimmed sentence by sentence;
one that runs short is sent back once with the measured figure). Anything else raises
``ChatFailed`` with the reason, and the caller falls back to the built-in writer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from castwright.nlp.advert.draft import Advert, LengthOf, clean_text, split_sentences
from castwright.nlp.advert.fitting import Candidate, fit

__all__ = ["ChatEndpoint", "ChatFailed", "ChatWriter"]

LENGTH_TOLERANCE = 0.10
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)
_SYSTEM = (
    "You write scripts for audio adverts, to be read aloud by one voice. Reply with a JSON "
    'object only: {"intro": "...", "main": "...", "outro": "..."}. The intro hooks the '
    "listener and names the product; the main section says what it does and why it matters; "
    "the outro starts with a clear call to action. Plain sentences only: no markup, no "
    "stage directions, no sound effects, no emoji."
)


class ChatFailed(Exception):
    """The chat model could not be used for this advert; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ChatEndpoint:
    url: str  # base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1
    model: str
    api_key: str = ""
    timeout_seconds: float = 30.0


class ChatWriter:
    def __init__(self, endpoint: ChatEndpoint, words_per_second: float) -> None:
        self.endpoint = endpoint
        self.words_per_second = words_per_second

    def _ask(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        endpoint = self.endpoint
        headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
        body = {"model": endpoint.model, "messages": messages, "temperature": 0.4}
        try:
            response = httpx.post(
                endpoint.url.rstrip("/") + "/chat/completions",
                json=body,
                headers=headers,
                timeout=endpoint.timeout_seconds,
            )
        except httpx.HTTPError as error:
            raise ChatFailed(f"the chat endpoint could not be reached ({error})") from None
        if response.status_code != 200:
            raise ChatFailed(f"the chat endpoint answered HTTP {response.status_code}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
            parsed = json.loads(_FENCE.sub("", str(content)).strip())
        except (ValueError, KeyError, IndexError, TypeError):
            raise ChatFailed("the chat model's reply was not the JSON asked for") from None
        if not isinstance(parsed, dict):
            raise ChatFailed("the chat model's reply was not a JSON object")
        return parsed

    @staticmethod
    def _advert(reply: dict[str, Any], product_name: str) -> Advert:
        sections: dict[str, tuple[str, ...]] = {}
        for name in ("intro", "main", "outro"):
            value = reply.get(name)
            if not isinstance(value, str) or not clean_text(value):
                raise ChatFailed(f"the chat model's reply has no {name} section")
            sections[name] = tuple(split_sentences(value))
        advert = Advert(sections["intro"], sections["main"], sections["outro"])
        if clean_text(product_name).lower() not in advert.plain_text().lower():
            raise ChatFailed("the chat model's advert never names the product")
        return advert

    def _fitted(self, advert: Advert, seconds: float, length_of: LengthOf) -> Advert | None:
        """The advert, trimmed if it runs long; None if it is too short."""
        measured = advert.seconds(length_of)
        if abs(measured - seconds) <= seconds * LENGTH_TOLERANCE:
            return advert
        if measured < seconds:
            return None
        keep = {advert.intro[-1] if advert.intro else "", advert.call_to_action}
        candidates = [
            Candidate(section, text, 0 if text in keep else 1, float(i))
            for section, sentences in advert.sections().items()
            for i, text in enumerate(sentences)
        ]
        trimmed, length = fit(candidates, seconds, length_of, ("trimmed to length",))
        return trimmed if abs(length - seconds) <= seconds * LENGTH_TOLERANCE else None

    def _converse(
        self, prompt: str, product_name: str, seconds: float, length_of: LengthOf
    ) -> Advert:
        messages = [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": prompt}]
        words = self._words(seconds)
        for attempt in range(2):
            reply = self._ask(messages)
            advert = self._advert(reply, product_name)
            fitted = self._fitted(advert, seconds, length_of)
            if fitted is not None:
                return fitted.with_notes(f"written by the chat model {self.endpoint.model}")
            if attempt == 0:
                measured = advert.seconds(length_of)
                # Scale the word count by what the draft really took: this text's own pace.
                words = max(5, round(words * seconds / max(measured, 0.1)))
                messages += [
                    {"role": "assistant", "content": json.dumps(reply)},
                    {
                        "role": "user",
                        "content": f"That runs {measured:.0f} seconds when read aloud; it must "
                        f"run {seconds:.0f} seconds (about {words} words). "
                        "Rewrite it to that length, same JSON shape.",
                    },
                ]
        raise ChatFailed(f"the chat model's advert did not fit {seconds:g} seconds")

    def _words(self, seconds: float) -> int:
        return max(5, round(seconds * self.words_per_second))

    def write(
        self,
        product_name: str,
        description: str,
        mood: str,
        tone: str,
        third_person: bool,
        seconds: float,
        length_of: LengthOf,
    ) -> Advert:
        voice = (
            "a narrator talking about the product" if third_person else "the brand speaking as 'we'"
        )
        prompt = (
            f"Product: {clean_text(product_name)}\nDescription: {clean_text(description)}\n"
            f"Mood: {mood}\nTone: {tone}\nSpoken by: {voice}\n"
            f"Length: {seconds:g} seconds read aloud, about {self._words(seconds)} words."
        )
        return self._converse(prompt, product_name, seconds, length_of)

    def edit(
        self,
        advert: Advert,
        instruction: str,
        product_name: str,
        description: str,
        seconds: float,
        length_of: LengthOf,
    ) -> Advert:
        prompt = (
            f"Product: {clean_text(product_name)}\nDescription: {clean_text(description)}\n"
            f"Current advert (JSON): {json.dumps(advert.sections())}\n"
            f"Instruction: {clean_text(instruction)}\n"
            f"Length after the edit: {seconds:g} seconds read aloud, about "
            f"{self._words(seconds)} words."
        )
        return self._converse(prompt, product_name, seconds, length_of)
