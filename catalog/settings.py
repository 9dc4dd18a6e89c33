"""The one typed settings object: every URL, port and limit, from the environment."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import AnyUrl, Field, HttpUrl, RedisDsn, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class Settings(BaseSettings):
    """Runtime configuration; each field reads `CATALOG_<NAME>` from the environment."""

    model_config = SettingsConfigDict(
        env_prefix="CATALOG_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    # --- dependencies -----------------------------------------------------
    mongo_url: AnyUrl = Field(
        AnyUrl("mongodb://127.0.0.1:27017"), description="MongoDB (or FerretDB) connection URL"
    )
    mongo_db: str = Field("catalog", min_length=1, description="database holding the write model")
    es_url: HttpUrl = Field(
        HttpUrl("http://127.0.0.1:9200"), description="Elasticsearch HTTP endpoint"
    )
    es_index_prefix: str = Field(
        "catalog", pattern=r"^[a-z][a-z0-9_-]{0,40}$", description="prefix of indices and aliases"
    )
    es_replicas: int = Field(
        0, ge=0, le=10, description="replicas of the read model's index (0 on one node)"
    )
    redis_url: RedisDsn = Field(
        RedisDsn("redis://127.0.0.1:6379/0"), description="Redis for read cache and rate limits"
    )
    broker_url: RedisDsn | None = Field(
        None, description="Celery broker; defaults to redis_url with database 1"
    )
    result_backend_url: RedisDsn | None = Field(
        None, description="Celery result backend; defaults to redis_url with database 2"
    )

    # --- timeouts (seconds) ----------------------------------------------
    dependency_timeout_s: float = Field(
        2.0, gt=0, le=30, description="connect/selection timeout towards each dependency"
    )
    readiness_timeout_s: float = Field(
        1.5, gt=0, le=30, description="time budget of one /readyz check per dependency"
    )
    retry_after_s: int = Field(3, ge=1, le=300, description="Retry-After sent with 503 answers")

    # --- HTTP --------------------------------------------------------------
    write_api_host: str = Field("127.0.0.1", description="bind address of the write API")
    write_api_port: int = Field(8001, ge=1, le=65535, description="port of the write API")
    read_api_host: str = Field("127.0.0.1", description="bind address of the read API")
    read_api_port: int = Field(8000, ge=1, le=65535, description="port of the read API")
    max_body_bytes: int = Field(
        10 * 1024 * 1024, ge=1024, description="largest JSON body a write may send"
    )
    log_level: LogLevel = Field("INFO", description="root log level of every process")

    # --- write side --------------------------------------------------------
    idempotency_ttl_s: int = Field(
        86_400, ge=60, description="how long an Idempotency-Key is remembered"
    )
    auth_cache_s: float = Field(
        10.0, ge=0, le=300, description="how long a verified API key is trusted without a lookup"
    )
    bulk_batch_size: int = Field(
        500, ge=1, le=10_000, description="bulk lines written to MongoDB per batch"
    )
    bulk_max_line_bytes: int = Field(
        1024 * 1024, ge=1024, description="longest accepted bulk line; a longer one fails alone"
    )
    bulk_max_bytes: int = Field(
        4 * 1024**3, ge=1024, description="largest body of one bulk request"
    )
    enqueue_batch_size: int = Field(
        500, ge=1, le=10_000, description="product ids per index task sent by the write API"
    )
    enqueue_linger_ms: int = Field(
        20, ge=0, le=5_000, description="how long the write API waits to fill an index task"
    )
    enqueue_max_pending: int = Field(
        100_000, ge=100, description="ids waiting to be sent; beyond it the sweeper catches up"
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def celery_broker_url(self) -> str:
        """Broker URL, derived from the Redis URL when not set."""
        return str(self.broker_url) if self.broker_url else _with_db(str(self.redis_url), 1)

    @property
    def celery_result_backend(self) -> str:
        """Result backend URL, derived from the Redis URL when not set."""
        if self.result_backend_url:
            return str(self.result_backend_url)
        return _with_db(str(self.redis_url), 2)


def _with_db(url: str, db: int) -> str:
    """Replace the database number of a redis:// URL."""
    base, _, tail = url.rpartition("/")
    if base.endswith(":/") or not tail.isdigit():
        return f"{url.rstrip('/')}/{db}"
    return f"{base}/{db}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
