"""Settings, built once and injected. The only module that reads the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "FetchSettings",
    "JobSettings",
    "Settings",
    "SpeechSettings",
    "StorageSettings",
    "VoiceAlias",
    "load_settings",
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
    default_voice: str = "isaac"
    engines: list[str] | None = None  # None: every installed engine
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


class JobSettings(BaseModel):
    backend: str = "inline"  # inline | celery
    workers: int = 0  # 0: one per CPU core
    sync_wait_seconds: float = 20.0  # how long a POST waits for a small job to finish
    max_attempts: int = 3
    # Accepted-but-unfinished renders per organisation; beyond it new work gets 429.
    max_unfinished_per_org: int = 1000


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
    speech: SpeechSettings = Field(default_factory=SpeechSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'castwright.db'}"

    @property
    def effective_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

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
