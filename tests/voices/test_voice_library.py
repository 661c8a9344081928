"""Installing, importing and removing neural voices, against a local server laid out like
Piper's and Kokoro's public catalogues (support/tiny_voices.py): real downloads, real
checksums, real models that the engines then load and speak with."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from castwright.config import Settings, VoiceLibrarySettings
from castwright.errors import Invalid, NotFound
from castwright.speech.engines import SynthesisParams
from castwright.speech.engines.kokoro import KokoroEngine
from castwright.speech.engines.piper import PiperEngine
from castwright.voices.library.download import DownloadFailed
from castwright.voices.library.remote import UnknownVoice
from castwright.voices.library.store import InstallStep, VoiceLibrary
from support.tiny_voices import (
    CatalogueServer,
    kokoro_model,
    kokoro_style,
    kokoro_tokenizer,
    write_piper_voice,
)

LESSAC = "en_US-lessac-medium"
MODEL_PATH = f"en/en_US/lessac/medium/{LESSAC}.onnx"


@pytest.fixture(scope="module")
def catalogue() -> Iterator[CatalogueServer]:
    server = CatalogueServer()
    server.add_piper_voice(LESSAC, "lessac")
    server.add_piper_voice("en_GB-alan-medium", "alan", "en_GB")
    server.add_kokoro({"af_heart": 0.1, "bm_george": -0.1})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path: Path, catalogue: CatalogueServer) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        voice_library=VoiceLibrarySettings(
            piper_url=catalogue.piper_url, kokoro_url=catalogue.kokoro_url
        ),
    )


@pytest.fixture
def library(settings: Settings) -> VoiceLibrary:
    return VoiceLibrary(settings)


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


# -- install ------------------------------------------------------------------------------------


def test_install_a_piper_voice_then_speak_with_it(
    library: VoiceLibrary, settings: Settings, catalogue: CatalogueServer
) -> None:
    steps: list[InstallStep] = []
    progress: list[tuple[int, int]] = []
    voice = library.install(
        f"piper:{LESSAC}", on_step=steps.append, progress=lambda *p: progress.append(p)
    )
    folder = settings.voices_dir / "piper" / LESSAC
    assert sorted(p.name for p in folder.iterdir()) == [
        "MODEL_CARD",
        f"{LESSAC}.onnx",
        f"{LESSAC}.onnx.json",
    ]
    index = catalogue.state.json_routes["/piper-voices/voices.json"][LESSAC]["files"]
    assert md5(folder / f"{LESSAC}.onnx") == index[MODEL_PATH]["md5_digest"]
    assert steps[-1].remote.target.endswith(".onnx.json")  # the config lands last
    assert progress[-1][0] == progress[-1][1] > 0
    assert voice.size == sum(info["size_bytes"] for info in index.values())
    assert library.installed() == [f"piper:{LESSAC}"]
    audio = PiperEngine.from_settings(settings).synthesize("Hello.", LESSAC, SynthesisParams())
    assert audio.sample_rate == 22050 and audio.duration > 0.2


def test_installing_again_verifies_and_downloads_nothing(
    library: VoiceLibrary, catalogue: CatalogueServer
) -> None:
    library.install(f"piper:{LESSAC}")
    before = len(catalogue.downloads_of(f"{LESSAC}.onnx"))
    steps: list[InstallStep] = []
    library.install(f"piper:{LESSAC}", on_step=steps.append)
    assert all(step.skipped for step in steps)
    assert len(catalogue.downloads_of(f"{LESSAC}.onnx")) == before


def test_kokoro_voices_share_one_model(
    library: VoiceLibrary, settings: Settings, catalogue: CatalogueServer
) -> None:
    before = len(catalogue.downloads_of("model_quantized.onnx"))
    library.install("kokoro:af_heart")
    library.install("kokoro:bm_george")
    assert len(catalogue.downloads_of("model_quantized.onnx")) == before + 1
    kokoro = settings.voices_dir / "kokoro"
    assert (kokoro / "model.onnx").read_bytes() == kokoro_model()
    assert json.loads((kokoro / "tokenizer.json").read_text()) == kokoro_tokenizer()
    assert sorted(library.installed()) == ["kokoro:af_heart", "kokoro:bm_george"]
    engine = KokoroEngine.from_settings(settings)
    assert {v.voice_id for v in engine.voices()} == {"af_heart", "bm_george"}
    assert engine.synthesize("Hello.", "bm_george", SynthesisParams()).sample_rate == 24000


def test_a_checksum_mismatch_is_refused(
    library: VoiceLibrary, settings: Settings, catalogue: CatalogueServer
) -> None:
    original = dict(catalogue.state.files)
    catalogue.corrupt("en_GB-alan-medium.onnx")
    try:
        with pytest.raises(DownloadFailed, match="md5 checksum does not match"):
            library.install("piper:en_GB-alan-medium")
    finally:
        catalogue.state.files.update(original)
    folder = settings.voices_dir / "piper" / "en_GB-alan-medium"
    assert not (folder / "en_GB-alan-medium.onnx").exists()
    assert not list(folder.glob("*.part"))  # the bad bytes are discarded, not resumed
    assert library.installed() == []


def test_a_kokoro_sha256_mismatch_is_refused(
    library: VoiceLibrary, catalogue: CatalogueServer
) -> None:
    original = dict(catalogue.state.files)
    catalogue.corrupt("voices/af_heart.bin")
    try:
        with pytest.raises(DownloadFailed, match="sha256 checksum does not match"):
            library.install("kokoro:af_heart")
    finally:
        catalogue.state.files.update(original)
    assert "kokoro:af_heart" not in library.installed()


def test_an_interrupted_download_resumes_where_it_stopped(
    library: VoiceLibrary, settings: Settings, catalogue: CatalogueServer
) -> None:
    catalogue.state.cut_next_after = 700
    with pytest.raises(DownloadFailed, match="resume"):
        library.install(f"piper:{LESSAC}")
    part = settings.voices_dir / "piper" / LESSAC / f"{LESSAC}.onnx.part"
    assert part.stat().st_size == 700
    library.install(f"piper:{LESSAC}")
    assert catalogue.downloads_of(f"{LESSAC}.onnx")[-1] == "bytes=700-"
    assert not part.exists()
    served = catalogue.state.files[f"/piper-voices/{MODEL_PATH}"]
    assert (settings.voices_dir / "piper" / LESSAC / f"{LESSAC}.onnx").read_bytes() == served


def test_an_unknown_voice_is_a_clear_error(library: VoiceLibrary) -> None:
    with pytest.raises(UnknownVoice, match="did you mean en_US-lessac-medium") as caught:
        library.install("piper:en_US-lessac-mediun")
    assert caught.value.status == 404
    with pytest.raises(UnknownVoice, match="kokoro has no voice 'zz_nobody'"):
        library.install("kokoro:zz_nobody")
    for name in ("lessac", "espeak:en-us", "piper:../../etc"):
        with pytest.raises(Invalid):
            library.install(name)


def test_an_unreachable_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        voice_library=VoiceLibrarySettings(piper_url="http://127.0.0.1:9/piper-voices"),
    )
    with pytest.raises(DownloadFailed, match="cannot read the voice catalogue"):
        VoiceLibrary(settings).install(f"piper:{LESSAC}")


# -- remove -------------------------------------------------------------------------------------


def test_remove_deletes_a_voice_and_kokoro_keeps_its_model_while_needed(
    library: VoiceLibrary, settings: Settings
) -> None:
    library.install(f"piper:{LESSAC}")
    library.install("kokoro:af_heart")
    library.install("kokoro:bm_george")
    library.remove(f"piper:{LESSAC}")
    assert not (settings.voices_dir / "piper" / LESSAC).exists()
    library.remove("kokoro:af_heart")
    assert (settings.voices_dir / "kokoro" / "model.onnx").exists()  # george still needs it
    removed = library.remove("kokoro:bm_george")
    assert settings.voices_dir / "kokoro" / "model.onnx" in removed
    assert library.installed() == []
    with pytest.raises(NotFound):
        library.remove("kokoro:bm_george")


# -- import -------------------------------------------------------------------------------------


def test_import_files_brought_by_hand(library: VoiceLibrary, tmp_path: Path) -> None:
    by_hand = tmp_path / "by-hand"
    model = write_piper_voice(by_hand, "en_US-amy-medium", "amy")
    assert library.import_path(model) == ["piper:en_US-amy-medium"]
    kokoro = tmp_path / "kokoro-files"
    kokoro.mkdir()
    (kokoro / "kokoro-v1.0.onnx").write_bytes(kokoro_model())
    (kokoro / "tokenizer.json").write_text(json.dumps(kokoro_tokenizer()))
    (kokoro / "af_bella.bin").write_bytes(kokoro_style(0.2))
    assert library.import_path(kokoro) == ["kokoro:af_bella"]  # a folder: every file in it
    assert sorted(library.installed()) == ["kokoro:af_bella", "piper:en_US-amy-medium"]


def test_import_kokoro_onnx_voice_pack(library: VoiceLibrary, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    arrays = {
        "am_adam": np.full((510, 1, 256), 0.3, np.float32),
        "bf_emma": np.full((510, 1, 256), -0.2, np.float32),
    }
    np.savez(buffer, **arrays)  # what kokoro-onnx publishes as voices-v1.0.bin
    pack = tmp_path / "voices-v1.0.bin"
    pack.write_bytes(buffer.getvalue())
    assert zipfile.is_zipfile(pack)
    assert library.import_path(pack) == ["kokoro:am_adam", "kokoro:bf_emma"]
    style = np.fromfile(library.root / "kokoro" / "voices" / "bf_emma.bin", dtype="<f4")
    assert style.shape == (510 * 256,) and float(style[0]) == pytest.approx(-0.2)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"hello"),
        ("voice.onnx", b"not a model, and no config beside it"),
        ("af_heart.bin", b"too short"),
        ("Heart.bin", kokoro_style(0.1)),  # not <language><gender>_<name>
    ],
)
def test_import_refuses_what_is_not_a_voice(
    library: VoiceLibrary, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(Invalid):
        library.import_path(path)
    assert library.installed() == []
