"""Probing real files made by ffmpeg: what decodes is recorded, what only claims to is refused."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from castwright.errors import Invalid
from castwright.files.probe import ProbeFailed, kind_from_name, mime_type_for, probe_media

SINE = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1.5"]
PICTURE = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1"]


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory of generated files, made once for the module."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")
    root = tmp_path_factory.mktemp("media")

    def ffmpeg(*args: str) -> None:
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args], check=True, cwd=root)

    ffmpeg(*SINE, "-ar", "22050", "-ac", "2", "tone.wav")
    ffmpeg("-i", "tone.wav", "tone.mp3")
    ffmpeg("-i", "tone.wav", "tone.flac")
    ffmpeg("-i", "tone.wav", "-c:a", "libvorbis", "tone.ogg")
    ffmpeg("-i", "tone.wav", "-c:a", "libopus", "tone.opus")
    ffmpeg("-i", "tone.wav", "-c:a", "aac", "tone.m4a")
    ffmpeg(*PICTURE, "-f", "lavfi", "-i", "sine=duration=1", "-shortest", "-c:v", "mpeg4",
           "-c:a", "aac", "clip.mp4")  # fmt: skip
    ffmpeg(*PICTURE, "-c:v", "mpeg4", "silent.mp4")
    ffmpeg(*PICTURE, "-frames:v", "1", "cover.png")
    ffmpeg("-i", "tone.mp3", "-i", "cover.png", "-map", "0", "-map", "1", "-c", "copy",
           "-disposition:v", "attached_pic", "with-cover.mp3")  # fmt: skip
    if shutil.which("sox"):
        subprocess.run(["sox", "tone.wav", "-r", "16000", "-c", "1", "sox.aiff"], check=True,
                       cwd=root)  # fmt: skip
    wav = (root / "tone.wav").read_bytes()
    (root / "header-only.wav").write_bytes(wav[:30])
    (root / "cut.wav").write_bytes(wav[: len(wav) // 2])  # a truncated tail still plays
    (root / "noise.wav").write_bytes(random.Random(7).randbytes(5000))
    (root / "notes.mp3").write_text("This is not an mp3 file, only some text.\n" * 200)
    (root / "notes.txt").write_text("Script notes.\n")
    (root / "mystery").write_bytes(wav)  # no extension, but real audio
    (root / "mystery.bin").write_bytes(random.Random(8).randbytes(3000))
    return root


@pytest.mark.parametrize(
    ("name", "format_", "codec", "rate", "channels"),
    [
        ("tone.wav", "wav", "pcm_s16le", 22050, 2),
        ("tone.mp3", "mp3", "mp3", 22050, 2),
        ("tone.flac", "flac", "flac", 22050, 2),
        ("tone.ogg", "ogg", "vorbis", 22050, 2),
        ("tone.opus", "ogg", "opus", 48000, 2),
        ("tone.m4a", "m4a", "aac", 22050, 2),
        ("with-cover.mp3", "mp3", "mp3", 22050, 2),  # cover art is not a video track
        ("mystery", "wav", "pcm_s16le", 22050, 2),
    ],
)
def test_audio_files_are_measured(
    media: Path, name: str, format_: str, codec: str, rate: int, channels: int
) -> None:
    info = probe_media(media / name)
    assert (info.kind, info.format, info.codec) == ("audio", format_, codec)
    assert (info.sample_rate, info.channels) == (rate, channels)
    assert info.duration == pytest.approx(1.5, abs=0.05)


def test_sox_made_aiff(media: Path) -> None:
    if not (media / "sox.aiff").exists():
        pytest.skip("sox is not installed")
    info = probe_media(media / "sox.aiff")
    assert (info.kind, info.format, info.sample_rate, info.channels) == ("audio", "aiff", 16000, 1)
    assert info.duration == pytest.approx(1.5, abs=0.01)


def test_video_with_audio(media: Path) -> None:
    info = probe_media(media / "clip.mp4")
    assert (info.kind, info.format, info.codec, info.channels) == ("video", "mp4", "aac", 1)
    assert info.sample_rate == 44100
    assert info.duration == pytest.approx(1.0, abs=0.05)


def test_truncated_audio_reports_what_plays(media: Path) -> None:
    info = probe_media(media / "cut.wav")
    assert info.kind == "audio"
    assert info.duration == pytest.approx(0.75, abs=0.01)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("header-only.wav", "is not a readable audio file"),
        ("noise.wav", "is not a readable audio file"),
        ("notes.mp3", "is not a readable audio file"),
        ("silent.mp4", "has no audio stream"),
    ],
)
def test_files_that_only_claim_to_be_media_fail(media: Path, name: str, reason: str) -> None:
    with pytest.raises(ProbeFailed) as caught:
        probe_media(media / name)
    failure = caught.value
    assert isinstance(failure, Invalid)
    assert failure.field == "file"
    assert failure.status == 422
    assert failure.reason.startswith(reason)
    assert str(media) not in failure.message  # no server paths in what users read


def test_other_kinds_are_not_forced_into_audio(media: Path) -> None:
    image = probe_media(media / "cover.png")
    assert (image.kind, image.format, image.codec, image.duration) == ("image", "png", "png", 0)
    assert probe_media(media / "notes.txt").kind == "document"
    assert probe_media(media / "mystery.bin").kind == "other"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.WAV", "audio"),
        ("b.mp3", "audio"),
        ("c.opus", "audio"),
        ("d.mp4", "video"),
        ("e.webm", "video"),
        ("f.jpeg", "image"),
        ("g.pdf", "document"),
        ("h.ssml", "document"),
        ("no-extension", "other"),
        ("archive.tar.gz", "other"),
        (".wav", "other"),  # a hidden file, not an extension
    ],
)
def test_kind_from_name(name: str, kind: str) -> None:
    assert kind_from_name(name) == kind


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("a.wav", "audio/wav"),
        ("a.mp3", "audio/mpeg"),
        ("a.M4A", "audio/mp4"),
        ("a.ogg", "audio/ogg"),
        ("a.opus", "audio/ogg"),
        ("a.flac", "audio/flac"),
        ("a.aac", "audio/aac"),
        ("a.mp4", "video/mp4"),
        ("a.png", "image/png"),
        ("a.pdf", "application/pdf"),
        ("a.unknown-extension", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_mime_type_for(name: str, mime: str) -> None:
    assert mime_type_for(name) == mime
