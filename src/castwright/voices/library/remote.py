"""The engines' public voice catalogues, read only when an operator asks for a voice.

* Piper: ``voices.json`` at the root of rhasspy/piper-voices lists every voice by key
  (``en_US-lessac-medium``) with its files (``en/en_US/lessac/medium/...``), sizes and MD5
  digests; the files sit under the same root.
* Kokoro: the onnx-community/Kokoro-82M-v1.0-ONNX repository on Hugging Face: the model
  (``onnx/model_quantized.onnx`` by default), its ``tokenizer.json`` and one style file per
  voice (``voices/af_heart.bin``). Sizes and digests come from the Hub's tree listing
  (``/api/models/<repo>/tree/main/<folder>``): SHA-256 for files in Git LFS, the Git blob id
  for the small ones. Files are fetched from ``<repo>/resolve/main/<path>``.

Both base URLs are settings (voice_library.piper_url, voice_library.kokoro_url), so a mirror
or a test server laid out the same way serves as well.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

from castwright.errors import Invalid, NotFound
from castwright.voices.library.download import DownloadFailed, RemoteFile

__all__ = [
    "ENGINES",
    "CatalogueVoice",
    "KokoroCatalogue",
    "PiperCatalogue",
    "UnknownVoice",
    "split_name",
]

ENGINES = ("piper", "kokoro")


class UnknownVoice(NotFound):
    code = "unknown_voice"


@dataclass(frozen=True)
class CatalogueVoice:
    engine: str
    key: str
    language: str
    files: tuple[RemoteFile, ...]

    @property
    def name(self) -> str:
        return f"{self.engine}:{self.key}"

    @property
    def size(self) -> int:
        return sum(remote.size for remote in self.files)


def split_name(name: str) -> tuple[str, str]:
    """ "piper:en_US-lessac-medium" -> ("piper", "en_US-lessac-medium")."""
    engine, _, key = name.strip().partition(":")
    if not key or engine.lower() not in ENGINES:
        raise Invalid(
            f"{name!r} is not ENGINE:VOICE with ENGINE one of {', '.join(ENGINES)} "
            "(e.g. piper:en_US-lessac-medium, kokoro:af_heart)",
            field="name",
        )
    if "/" in key or "\\" in key or key.startswith("."):
        raise Invalid(f"{key!r} is not a voice name", field="name")
    return engine.lower(), key


def _unknown(engine: str, key: str, names: list[str], where: str) -> UnknownVoice:
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return UnknownVoice(f"{engine} has no voice {key!r} in its catalogue at {where}{hint}")


def _get_json(client: httpx.Client, url: str) -> Any:
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise DownloadFailed(f"cannot read the voice catalogue at {url}: {exc}") from exc
    if response.status_code != 200:
        raise DownloadFailed(
            f"cannot read the voice catalogue at {url}: HTTP {response.status_code}"
        )
    try:
        return response.json()
    except ValueError as exc:
        raise DownloadFailed(f"the voice catalogue at {url} is not JSON") from exc


class PiperCatalogue:
    """rhasspy/piper-voices (or a copy of it) at ``base_url``."""

    engine = "piper"

    def __init__(self, base_url: str, client: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = client
        self._index: dict[str, Any] | None = None

    def index(self) -> dict[str, Any]:
        if self._index is None:
            found = _get_json(self._client, f"{self.base_url}/voices.json")
            if not isinstance(found, dict):
                raise DownloadFailed(f"{self.base_url}/voices.json is not a voice index")
            self._index = found
        return self._index

    def names(self) -> list[str]:
        return sorted(self.index())

    def voice(self, key: str) -> CatalogueVoice:
        index = self.index()
        entry = index.get(key) or next(
            (v for v in index.values() if key in v.get("aliases", [])), None
        )
        if entry is None:
            raise _unknown(self.engine, key, list(index), self.base_url)
        real_key = str(entry.get("key", key))
        files = []
        # The config last: a model without its config is not a voice yet (piper.py skips it).
        for path, info in sorted(entry["files"].items(), key=lambda i: i[0].endswith(".json")):
            files.append(
                RemoteFile(
                    url=f"{self.base_url}/{quote(path)}",
                    target=f"piper/{real_key}/{path.rsplit('/', 1)[-1]}",
                    size=int(info.get("size_bytes", 0)),
                    algorithm="md5",
                    digest=str(info.get("md5_digest", "")),
                )
            )
        code = str(entry.get("language", {}).get("code", "")).replace("_", "-")
        return CatalogueVoice(self.engine, real_key, code, tuple(files))


class KokoroCatalogue:
    """A Kokoro ONNX repository on the Hugging Face Hub (or a server laid out the same)."""

    engine = "kokoro"

    def __init__(self, repo_url: str, model_path: str, client: httpx.Client) -> None:
        self.repo_url = repo_url.rstrip("/")
        parts = urlsplit(self.repo_url)
        self._api = urlunsplit((parts.scheme, parts.netloc, f"/api/models{parts.path}", "", ""))
        self.model_path = model_path
        self._client = client
        self._trees: dict[str, dict[str, RemoteFile]] = {}

    def _tree(self, folder: str) -> dict[str, RemoteFile]:
        if folder not in self._trees:
            url = f"{self._api}/tree/main/{folder}".rstrip("/")
            listed = _get_json(self._client, url)
            files: dict[str, RemoteFile] = {}
            for entry in listed if isinstance(listed, list) else []:
                if entry.get("type") != "file":
                    continue
                path = str(entry["path"])
                lfs = entry.get("lfs")
                files[path] = RemoteFile(
                    url=f"{self.repo_url}/resolve/main/{quote(path)}",
                    target="",
                    size=int((lfs or entry).get("size", 0)),
                    algorithm="sha256" if lfs else "git-sha1",
                    digest=str(lfs["oid"] if lfs else entry.get("oid", "")),
                )
            self._trees[folder] = files
        return self._trees[folder]

    def names(self) -> list[str]:
        return sorted(
            path.rsplit("/", 1)[-1].removesuffix(".bin")
            for path in self._tree("voices")
            if path.endswith(".bin")
        )

    def voice(self, key: str) -> CatalogueVoice:
        voices = self._tree("voices")
        style = voices.get(f"voices/{key}.bin")
        if style is None:
            raise _unknown(self.engine, key, self.names(), self.repo_url)
        folder = self.model_path.rsplit("/", 1)[0] if "/" in self.model_path else ""
        model = self._tree(folder).get(self.model_path)
        if model is None:
            raise DownloadFailed(f"{self.repo_url} has no model {self.model_path}")
        root = self._tree("")
        vocabulary = [root[name] for name in ("tokenizer.json", "config.json") if name in root]
        if not vocabulary:
            raise DownloadFailed(f"{self.repo_url} has neither tokenizer.json nor config.json")
        files = [
            _to(model, "kokoro/model.onnx"),
            *(_to(v, f"kokoro/{v.url.rsplit('/', 1)[-1]}") for v in vocabulary),
            _to(style, f"kokoro/voices/{key}.bin"),  # last: it is what makes the voice appear
        ]
        language = {"a": "en-US", "b": "en-GB"}.get(key[:1], "")
        return CatalogueVoice(self.engine, key, language, tuple(files))


def _to(remote: RemoteFile, target: str) -> RemoteFile:
    return RemoteFile(remote.url, target, remote.size, remote.algorithm, remote.digest)
