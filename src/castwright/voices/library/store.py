"""The voices directory: install from a catalogue, import files by hand, remove, list.

Layout under the voices directory (settings.voices_dir, default data_dir/voices):

    piper/<key>/<key>.onnx, <key>.onnx.json, MODEL_CARD
    kokoro/model.onnx, tokenizer.json, voices/<name>.bin

which is what speech/engines/piper.py and kokoro.py read. Every file lands by a rename, so an
engine never sees half a file; the file that makes a voice appear (Piper's config, Kokoro's
style) lands last. A running server picks up new voices when it next starts.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

from castwright.config import Settings
from castwright.errors import Invalid, NotFound
from castwright.speech.engines.kokoro import STYLE_SHAPE, read_vocabulary
from castwright.speech.engines.piper import read_piper_config
from castwright.voices.library.download import Progress, RemoteFile, download, matches
from castwright.voices.library.remote import (
    CatalogueVoice,
    KokoroCatalogue,
    PiperCatalogue,
    split_name,
)

__all__ = ["InstallStep", "VoiceLibrary"]

_STYLE_BYTES = STYLE_SHAPE[0] * STYLE_SHAPE[1] * 4
_KOKORO_NAME = re.compile(r"^[abefhijpz][fm]_[a-z0-9_]+$")
_PIPER_KEY = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class InstallStep:
    """What ``install`` is doing, for a progress display."""

    remote: RemoteFile
    skipped: bool  # already present and verified


class VoiceLibrary:
    def __init__(
        self, settings: Settings, client: Callable[[], httpx.Client] | None = None
    ) -> None:
        self.settings = settings
        self.root = settings.voices_dir
        self._client = client or (
            lambda: httpx.Client(follow_redirects=True, timeout=httpx.Timeout(60.0, connect=15.0))
        )

    def client(self) -> httpx.Client:
        """An HTTP client for the catalogues (redirects followed: the Hub answers with them)."""
        return self._client()

    # -- what is here -------------------------------------------------------------------------

    def installed(self) -> list[str]:
        """Every installed voice as ENGINE:NAME."""
        piper = [
            f"piper:{model.stem}"
            for model in sorted((self.root / "piper").glob("*/*.onnx"))
            if model.with_name(model.name + ".json").is_file()
        ]
        kokoro = []
        if (self.root / "kokoro" / "model.onnx").is_file():
            kokoro = [
                f"kokoro:{p.stem}" for p in sorted((self.root / "kokoro/voices").glob("*.bin"))
            ]
        return [*piper, *kokoro]

    # -- install --------------------------------------------------------------------------------

    def find(self, name: str, client: httpx.Client) -> CatalogueVoice:
        """The catalogue's entry for ENGINE:NAME (reads the catalogue over the network)."""
        engine, key = split_name(name)
        library = self.settings.voice_library
        if engine == "piper":
            return PiperCatalogue(library.piper_url, client).voice(key)
        return KokoroCatalogue(library.kokoro_url, library.kokoro_model, client).voice(key)

    def install(
        self,
        name: str,
        on_step: Callable[[InstallStep], None] | None = None,
        progress: Progress | None = None,
    ) -> CatalogueVoice:
        """Fetch ENGINE:NAME's files into the voices directory, verifying each one."""
        with self._client() as client:
            voice = self.find(name, client)
            for remote in voice.files:
                target = self.root / remote.target
                present = matches(target, remote)
                if on_step:
                    on_step(InstallStep(remote, present))
                if not present:
                    download(client, remote, target, progress)
        return voice

    # -- remove ---------------------------------------------------------------------------------

    def remove(self, name: str) -> list[Path]:
        """Delete ENGINE:NAME's files; returns what was deleted. NotFound if not installed."""
        engine, key = split_name(name)
        removed: list[Path] = []
        if engine == "piper":
            folder = self.root / "piper" / key
            if not (folder / f"{key}.onnx").is_file():
                raise NotFound(f"piper voice {key!r} is not installed in {self.root / 'piper'}")
            removed = sorted(folder.iterdir())
            shutil.rmtree(folder)
            return removed
        style = self.root / "kokoro" / "voices" / f"{key}.bin"
        if not style.is_file():
            raise NotFound(f"kokoro voice {key!r} is not installed in {self.root / 'kokoro'}")
        style.unlink()
        removed.append(style)
        if not any((self.root / "kokoro" / "voices").glob("*.bin")):
            # The last voice gone: the shared model (100-350 MB) has nothing left to speak.
            for shared in ("model.onnx", "tokenizer.json", "config.json"):
                path = self.root / "kokoro" / shared
                if path.exists():
                    path.unlink()
                    removed.append(path)
        return removed

    # -- import ---------------------------------------------------------------------------------

    def import_path(self, path: Path) -> list[str]:
        """Bring voice files in by hand: a Piper ``X.onnx`` (with ``X.onnx.json`` beside it),
        Kokoro's model (``.onnx``), vocabulary (tokenizer.json / config.json), a style file
        (``af_heart.bin``) or kokoro-onnx's voice pack (``voices-v1.0.bin``), or a folder of
        them. Returns what became available, as ENGINE:NAME."""
        if not path.exists():
            raise NotFound(f"{path} does not exist")
        if path.is_dir():
            found: list[str] = []
            for child in sorted(path.iterdir()):
                if child.is_file() and not child.name.endswith(".onnx.json"):
                    found += self.import_path(child)
            return found
        if path.name.endswith(".onnx"):
            return self._import_model(path)
        if path.name in ("tokenizer.json", "config.json"):
            read_vocabulary(path.parent)  # ValueError: not a Kokoro vocabulary
            self._place(path, self.root / "kokoro" / path.name)
            return []
        if path.suffix == ".bin":
            return self._import_styles(path)
        raise Invalid(f"{path.name}: not a Piper or Kokoro voice file", field="path")

    def _import_model(self, path: Path) -> list[str]:
        config = path.with_name(path.name + ".json")
        if config.is_file():  # Piper: the model and its config travel together
            read_piper_config(path)  # ValueError names the problem
            if not _PIPER_KEY.match(path.stem):
                raise Invalid(f"{path.stem!r} is not a usable voice name", field="path")
            folder = self.root / "piper" / path.stem
            self._place(path, folder / path.name)
            self._place(config, folder / config.name)
            return [f"piper:{path.stem}"]
        if not _has_style_input(path):
            raise Invalid(
                f"{path.name}: a Piper model needs {config.name} beside it, and this is not a "
                "Kokoro model (no 'style' input)",
                field="path",
            )
        self._place(path, self.root / "kokoro" / "model.onnx")
        return []

    def _import_styles(self, path: Path) -> list[str]:
        voices = self.root / "kokoro" / "voices"
        if zipfile.is_zipfile(path):  # kokoro-onnx's voices-v1.0.bin: a NumPy archive
            names = []
            with np.load(path) as pack:
                for name in pack.files:
                    style = np.asarray(pack[name], dtype="<f4")
                    if style.size == STYLE_SHAPE[0] * STYLE_SHAPE[1] and _KOKORO_NAME.match(name):
                        voices.mkdir(parents=True, exist_ok=True)
                        partial = voices / f".{name}.bin.part"
                        style.reshape(STYLE_SHAPE).tofile(partial)
                        partial.replace(voices / f"{name}.bin")
                        names.append(f"kokoro:{name}")
            return names
        if path.stat().st_size != _STYLE_BYTES:
            raise Invalid(f"{path.name}: a Kokoro style file is 510 x 256 float32", field="path")
        if not _KOKORO_NAME.match(path.stem):
            raise Invalid(
                f"{path.stem!r}: Kokoro voice names are <language><gender>_<name>, "
                "e.g. af_heart (American female) or bm_george (British male)",
                field="path",
            )
        self._place(path, voices / path.name)
        return [f"kokoro:{path.stem}"]

    @staticmethod
    def _place(source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        shutil.copyfile(source, partial)
        partial.replace(target)


def _has_style_input(path: Path) -> bool:
    try:
        import onnxruntime
    except ImportError:  # without onnxruntime nothing can run it anyway: the engine will say
        return True
    try:
        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception:  # not a model onnxruntime can load
        return False
    return any(i.name == "style" for i in session.get_inputs())
