"""Text that arrives in pieces (an assistant's reply, token by token), handed on a sentence at
a time as soon as each sentence is known to be complete."""

from __future__ import annotations

from castwright.speech.text.chunking import split_sentences

__all__ = ["SentenceBuffer"]


class SentenceBuffer:
    """``add`` returns the sentences the new text completed; ``finish`` the rest.

    The last sentence found is held back until more text follows it: "It costs 3." may go on
    as "It costs 3.50", and "Dr." as "Dr. Smith"; the splitter's own rules decide the rest.
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._pending = ""

    def add(self, text: str) -> list[str]:
        self._pending += text
        sentences = split_sentences(self._pending, self.language)
        if len(sentences) < 2:
            return []
        complete, last = sentences[:-1], sentences[-1]
        # Keep the unfinished sentence's original text (with its leading space trimmed).
        start = self._pending.rfind(last)
        self._pending = self._pending[start:] if start >= 0 else last
        return [s for s in complete if s.strip()]

    def finish(self) -> list[str]:
        rest, self._pending = self._pending.strip(), ""
        return [rest] if rest else []
