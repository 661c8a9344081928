"""SpeechStream: sentence-by-sentence synthesis in a thread, one encoder, bytes as they come.

The thread synthesises one sentence, resamples it (one soxr stream for the whole stream, so
there is no seam at sentence edges), encodes it with the stream's single encoder and hands the
bytes over; a bounded hand-over makes synthesis wait for a slow client, so memory stays small
however long the text. Closing the stream (the client went away) stops synthesis before the
next sentence and frees the stream's slot in the runtime's gate.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import numpy as np
import soxr

from castwright.audio import AudioBuffer, AudioChunk
from castwright.dsp import fade_edges, to_mono
from castwright.speech.render import MarkerPoint, Pause, SectionPlan, SpeechRun
from castwright.speech.streaming.encoders import MEDIA_TYPES, StreamEncoder, open_encoder
from castwright.speech.streaming.gate import SynthesisSlot
from castwright.speech.streaming.handoff import Handoff
from castwright.speech.streaming.request import PreparedStream, native_rate
from castwright.speech.text.chunking import chunk_text, split_sentences

if TYPE_CHECKING:
    from castwright.speech.engines.registry import EngineRegistry

__all__ = ["SpeechStream"]

log = logging.getLogger("castwright.streaming")

_ENCODE_FRAMES = 16_384  # about 0.75 s at 22.05 kHz


class SpeechStream:
    """Iterate it (async or not) for encoded bytes, or iterate ``audio()`` for raw PCM chunks:
    one or the other, once. ``close()`` whenever the consumer goes away."""

    def __init__(
        self,
        prepared: PreparedStream,
        engines: EngineRegistry,
        slot: SynthesisSlot,
        *,
        chunk_chars: int,
        buffered_chunks: int,
    ) -> None:
        self.prepared = prepared
        self.format = prepared.format
        self.media_type = MEDIA_TYPES[prepared.format]
        self._engines = engines
        self._slot = slot
        self._chunk_chars = chunk_chars
        self._handoff = Handoff(buffered_chunks)
        self._cancelled = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        self.sample_rate: int | None = prepared.sample_rate  # known once the first audio is out
        self.sentences = 0  # synthesised so far
        self.audio_seconds = 0.0  # produced so far (at the output rate)

    # --- consumers ---------------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._async_items(encoded=True)  # type: ignore[return-value]

    def __iter__(self) -> Iterator[bytes]:
        return self._sync_items(encoded=True)  # type: ignore[return-value]

    def iter_audio(self) -> Iterator[AudioChunk]:
        """``audio()`` for synchronous callers (a worker thread, the CLI)."""
        return self._sync_items(encoded=False)  # type: ignore[return-value]

    def _sync_items(self, encoded: bool) -> Iterator[object]:
        self._start(encoded=encoded)
        try:
            while (item := self._handoff.get()) is not Handoff.END:
                yield self._checked(item)
        finally:
            self.close()

    def audio(self) -> AsyncIterator[AudioChunk]:
        """Mono float32 chunks (about a sentence each) at the stream's output rate."""
        return self._async_items(encoded=False)  # type: ignore[return-value]

    async def _async_items(self, encoded: bool) -> AsyncIterator[object]:
        self._start(encoded=encoded)
        try:
            while (item := await self._handoff.aget()) is not Handoff.END:
                yield self._checked(item)
        finally:
            self.close()

    @staticmethod
    def _checked(item: object) -> object:
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        """Stop synthesis before its next sentence and give the slot back. Idempotent."""
        self._cancelled.set()
        self._handoff.close()
        with self._lock:
            started = self._started
            self._started = True  # a stream closed before it started never starts
        if not started:
            self._slot.release()

    def __del__(self) -> None:  # a face that forgot to close must not leak a slot
        if not self._slot.released:
            self.close()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    # --- the synthesis thread ----------------------------------------------------------------

    def _start(self, encoded: bool) -> None:
        with self._lock:
            if self._started:
                if self._cancelled.is_set():
                    return  # closed before it started: the hand-over answers END at once
                raise RuntimeError("a speech stream can be iterated only once")
            self._started = True
        threading.Thread(
            target=self._produce, args=(encoded,), name="castwright-stream", daemon=True
        ).start()

    def _produce(self, encoded: bool) -> None:
        encoder: StreamEncoder | None = None
        resampler: _Resampler | None = None
        try:
            for chunk in self._speech():
                if self._cancelled.is_set():
                    return
                if resampler is None:
                    rate = self.prepared.sample_rate or native_rate(
                        self.format, chunk.audio.sample_rate
                    )
                    resampler, self.sample_rate = _Resampler(rate), rate
                audio = resampler.convert(chunk.audio)
                self.audio_seconds += audio.duration
                if not encoded:
                    if audio.frames and not self._handoff.put(AudioChunk(audio, chunk.text)):
                        return
                    continue
                if encoder is None:
                    encoder = open_encoder(self.format, resampler.rate, self.prepared.bitrate)
                # A long sentence is encoded in blocks, each handed over as soon as it is
                # ready: the first bytes wait for one block's encoding, not the sentence's.
                for start in range(0, audio.frames, _ENCODE_FRAMES):
                    block = AudioBuffer(
                        audio.samples[:, start : start + _ENCODE_FRAMES], audio.sample_rate
                    )
                    data = encoder.write(block)
                    if data and not self._handoff.put(data):
                        return
            if self._cancelled.is_set():
                return
            tail = resampler.flush() if resampler is not None else None
            self.audio_seconds += tail.duration if tail is not None else 0.0
            if encoded:
                if encoder is None:  # nothing was spoken (only pauses of zero length)
                    encoder = open_encoder(
                        self.format, self.sample_rate or 22_050, self.prepared.bitrate
                    )
                data = (encoder.write(tail) if tail is not None else b"") + encoder.finish()
                if data:
                    self._handoff.put(data)
            elif tail is not None and tail.frames:
                self._handoff.put(AudioChunk(tail))
        except BaseException as error:  # handed to the consumer, which raises it
            log.exception("speech stream failed")
            self._handoff.put_final(error)
        finally:
            self._handoff.finish()
            self._slot.release()

    def _speech(self) -> Iterator[AudioChunk]:
        """Every plan's audio, sentence by sentence; pauses before the first sentence wait for
        it, so the stream opens at the voice's own rate."""
        waiting: list[float] = []
        rate: int | None = None
        for plan in self.prepared.plans:
            half = plan.padding_seconds / 2
            for item in [half, *plan.segments, half]:
                if isinstance(item, float | Pause):
                    seconds = item if isinstance(item, float) else item.seconds
                    if seconds <= 0:
                        continue
                    if rate is None:
                        waiting.append(seconds)
                    else:
                        yield AudioChunk(AudioBuffer.silence(seconds, rate))
                elif isinstance(item, SpeechRun):
                    for chunk in self._sentences(plan, item):
                        if rate is None:
                            rate = chunk.audio.sample_rate
                            for seconds in waiting:
                                yield AudioChunk(AudioBuffer.silence(seconds, rate))
                        yield chunk
                else:
                    assert isinstance(item, MarkerPoint)  # fx/media: nothing to mix live
        for seconds in waiting if rate is None else []:
            yield AudioChunk(AudioBuffer.silence(seconds, 22_050))

    def _sentences(self, plan: SectionPlan, run: SpeechRun) -> Iterator[AudioChunk]:
        engine = self._engines.get(plan.voice.engine)
        params = plan.voice.params(
            speed=plan.speed,
            prosody_rate=run.prosody.rate,
            pitch=run.prosody.pitch,
            volume=run.prosody.volume,
        )
        language = plan.voice.language_code.split("-")[0].lower()
        for sentence in split_sentences(run.text, language):
            for piece in chunk_text(sentence, self._chunk_chars, language):
                if self._cancelled.is_set():
                    return
                audio = engine.synthesize(piece, plan.voice.engine_voice_id, params)
                self.sentences += 1
                self._slot.sentence_done()
                # The same edge fades the batch renderer applies: pieces join without clicks.
                yield AudioChunk(fade_edges(to_mono(audio)), text=piece)


class _Resampler:
    """Every chunk to one output rate through one soxr stream per input rate (continuous
    filter state: no seam at chunk edges)."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._source_rate: int | None = None
        self._stream: soxr.ResampleStream | None = None

    def convert(self, audio: AudioBuffer) -> AudioBuffer:
        if audio.sample_rate == self.rate and self._stream is None:
            return audio
        pieces: list[np.ndarray] = []
        if audio.sample_rate != self._source_rate:
            tail = self.flush()
            if tail is not None:
                pieces.append(tail.samples[0])
            self._source_rate = audio.sample_rate
            if audio.sample_rate != self.rate:
                self._stream = soxr.ResampleStream(
                    audio.sample_rate, self.rate, 1, dtype="float32", quality="HQ"
                )
        if self._stream is None:
            pieces.append(audio.samples[0])
        else:
            pieces.append(self._stream.resample_chunk(audio.samples[0], last=False))
        joined = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
        return AudioBuffer.mono(joined, self.rate)

    def flush(self) -> AudioBuffer | None:
        """What the resampler still holds (its filter delay), ending its current stream."""
        if self._stream is None:
            return None
        tail = self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
        self._stream = None
        self._source_rate = None
        return AudioBuffer.mono(tail, self.rate)
