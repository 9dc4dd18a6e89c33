"""The one typed settings object: every URL, port and limit, from the environment."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AnyUrl, Field, FilePath, HttpUrl, RedisDsn, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
# read as plain comma-separated text, not as the JSON list pydantic-settings expects
HttpUrls = Annotated[tuple[HttpUrl, ...], NoDecode]


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
    mongo_max_pool_size: int = Field(
        100,
        ge=1,
        le=1000,
        description="connections per process to MongoDB; keep the sum of all processes under "
        "FerretDB's 100 SQLite connections (devstack sets 10)",
    )
    es_url: HttpUrls = Field(
        (HttpUrl("http://127.0.0.1:9200"),),
        min_length=1,
        description="Elasticsearch HTTP endpoint(s); several, comma-separated, for failover",
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
        10 * 1024 * 1024,
        ge=1024,
        description="largest request body on any write API route but the bulk import",
    )
    log_level: LogLevel = Field("INFO", description="root log level of every process")

    # --- write side --------------------------------------------------------
    idempotency_ttl_s: int = Field(
        86_400, ge=60, description="how long an Idempotency-Key is remembered"
    )
    auth_cache_s: float = Field(
        0.5,
        ge=0,
        le=1,
        description="how long a process trusts a verified (or refused) API key without a lookup; "
        "a revoked key is refused in every process within this and a lookup",
    )
    write_hints: int = Field(
        2048,
        ge=0,
        le=100_000,
        description="how many products' last written states a write API process keeps to plan "
        "their next single write without a read (catalog.products.recent; 0: none); each "
        "holds at most 32 KiB",
    )
    server_key: SecretStr | None = Field(
        None,
        description="URL-safe base64 of 32 random bytes (`catalog keys server-key`): seals the "
        "secrets of `search` keys at rest, which secured keys are checked against",
    )
    public_api_key: str = Field(
        "public",
        max_length=64,
        description="an API key value that means 'no key' (the storefront's placeholder); "
        "empty: every presented key must be valid",
    )
    search_requires_key: bool = Field(
        False,
        description="the read API answers searches, products and the Algolia protocol only "
        "with a valid key (a private B2B shop)",
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
        100,
        ge=0,
        le=5_000,
        description="how long the write API waits to fill an index task (at 50 writes/s, "
        "100 ms makes tasks of about five ids: a task costs the indexer more than an id)",
    )
    enqueue_max_pending: int = Field(
        100_000, ge=100, description="ids waiting to be sent; beyond it the sweeper catches up"
    )

    # --- indexer -----------------------------------------------------------
    index_max_attempts: int = Field(
        3, ge=1, le=100, description="rejections of one product version before it is a dead letter"
    )
    sweep_full_interval_s: int = Field(
        3600,
        ge=10,
        description="how often the sweeper scans MongoDB for every unsynced product, besides "
        "checking the pending set every 5 s (a backstop for changes the set missed)",
    )
    audit_interval_s: int = Field(
        3600,
        ge=0,
        description="how often the workers audit Elasticsearch against MongoDB (0: never)",
    )
    audit_repair: bool = Field(True, description="whether the periodic audit repairs what differs")
    synonyms_file: FilePath | None = Field(
        None,
        description="synonym rules (Solr format, one per line) for new indices; "
        "built-in list when unset; apply a change with `catalog reindex`",
    )
    worker_metrics_port: int = Field(
        8002, ge=0, le=65535, description="Prometheus metrics of the workers (0: not served)"
    )

    # --- read side -----------------------------------------------------------
    search_default_page_size: int = Field(
        20, ge=1, le=100, description="hits per page when a search does not say"
    )
    search_timeout_s: float = Field(
        5.0, gt=0, le=60, description="longest wait for Elasticsearch to answer one search"
    )

    # --- read cache, HTTP caching, rate limits --------------------------------
    cache_enabled: bool = Field(True, description="whether the read API caches answers in Redis")
    cache_ttl_s: float = Field(
        60.0, gt=0, le=86_400, description="longest life of a cached answer (a bound)"
    )
    cache_publish_interval_s: float = Field(
        1.0,
        ge=0.1,
        le=10,
        description="shortest time between two refreshes that retire the cached answers: "
        "the longest a write waits for its turn to become searchable; shorter is fresher, "
        "longer keeps cached answers longer under steady writes",
    )
    cache_stale_ceiling_s: float = Field(
        5.0,
        ge=0,
        le=60,
        description="oldest an outdated answer may be and still be served (`X-Cache: stale`, "
        "`Age`) while one request refreshes it in the background (0: never serve outdated "
        "answers); under overload staleness grows up to this and no further",
    )
    cache_refresh_wait_s: float = Field(
        0.1,
        ge=0,
        le=1.0,
        description="how long the request that starts a refresh of an outdated answer waits "
        "for it before serving the old answer as stale (0: serve it at once); other requests "
        "never wait",
    )
    cache_refresh_concurrency: int = Field(
        4, ge=1, le=256, description="background refreshes of outdated answers at once, per process"
    )
    cache_refresh_per_s: float = Field(
        100.0,
        gt=0,
        le=10_000,
        description="background refreshes started per second, per process; beyond it and the "
        "concurrency, outdated answers are served as they are",
    )
    cache_miss_concurrency: int = Field(
        32,
        ge=1,
        le=1024,
        description="searches for cache misses at once, per process; beyond it a miss waits "
        "`cache_miss_wait_s` for a slot, then gets 503 with Retry-After",
    )
    cache_miss_wait_s: float = Field(
        1.0, ge=0, le=30, description="how long a cache miss waits for a free search slot"
    )
    cache_local_max_mb: float = Field(
        64.0,
        ge=0,
        le=4096,
        description="memory of the in-process cache tier in front of Redis, per process "
        "(0: no in-process tier)",
    )
    cache_local_poll_s: float = Field(
        0.1,
        gt=0,
        le=5,
        description="how often each process polls Redis for new data (the in-process tier's "
        "freshness lag)",
    )
    rules_poll_s: float = Field(
        0.25,
        gt=0,
        le=5,
        description="how often each read API process checks whether the query rules or the "
        "synonym sets changed (a Redis GET each; a change is live within this plus one load)",
    )
    rules_reload_s: float = Field(
        30.0,
        ge=1,
        le=3600,
        description="how often each read API process reloads the query rules and the synonym "
        "sets from MongoDB even without a change signal",
    )
    cache_lock_wait_s: float = Field(
        1.0,
        gt=0,
        le=10,
        description="how long a miss waits for another process computing the same answer",
    )
    cache_redis_timeout_s: float = Field(
        0.25, gt=0, le=5, description="a cache or rate-limit call to Redis slower than this fails"
    )
    cache_breaker_open_s: float = Field(
        5.0, gt=0, le=300, description="how long the read API skips Redis after a failure"
    )
    http_max_age_s: int = Field(
        1, ge=0, le=3600, description="`max-age` of cacheable GET answers for CDNs and browsers"
    )
    http_stale_while_revalidate_s: int = Field(
        1, ge=0, le=3600, description="`stale-while-revalidate` of cacheable GET answers"
    )
    rate_limit_per_s: float = Field(
        50.0, ge=0, description="requests a second one client may make (0: no rate limits)"
    )
    rate_limit_burst: int = Field(
        100, ge=1, description="requests one client may make at once (the bucket's size)"
    )
    rate_limit_lease_s: float = Field(
        0.25,
        gt=0,
        le=5,
        description="how long a read API process keeps tokens it took from a client's bucket; "
        "unspent ones lapse (never given back)",
    )
    rate_limit_lease_max: int = Field(
        10,
        ge=1,
        le=1000,
        description="most tokens a process takes from a client's bucket at once; a client "
        "spread over P processes may be refused up to (P-1) x this many tokens early",
    )
    rate_limit_local_clients: int = Field(
        10_000,
        ge=1,
        le=1_000_000,
        description="clients whose leases one read API process remembers (least recent dropped)",
    )
    rate_limit_key_header: str = Field(
        "X-API-Key",
        pattern=r"^[A-Za-z0-9-]{1,64}$",
        description="request header naming a client; without it, the client's address counts",
    )
    rate_limit_trusted_proxies: int = Field(
        0,
        ge=0,
        le=10,
        description="proxies in front that append to X-Forwarded-For; the client address is the "
        "one the outermost appended (0: the header is ignored)",
    )

    # --- edge: body limits and security headers (docs/security.md) ----------
    read_max_body_bytes: int = Field(
        256 * 1024,
        ge=1024,
        description="largest request body on any read API route (Algolia queries, native "
        "POST search) but the insights events, which take up to 2 MiB",
    )
    csp_img_src: str = Field(
        "'self' https: data:",
        pattern=r"^[^;,\r\n]+$",
        description="img-src of the Content-Security-Policy: where product images may load from",
    )

    # --- product images (docs/images.md) -------------------------------------
    s3_endpoint_url: HttpUrl | None = Field(
        None,
        description="S3 API endpoint of the image store (devstack: SeaweedFS); unset: AWS S3 "
        "of s3_region",
    )
    s3_region: str = Field("us-east-1", min_length=1, description="region of the S3 bucket")
    s3_bucket: str = Field(
        "catalog-images",
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        description="bucket holding original images and thumbnails",
    )
    s3_access_key_id: str | None = Field(
        None, description="S3 access key id; unset: the AWS default credential chain"
    )
    s3_secret_access_key: SecretStr | None = Field(None, description="S3 secret access key")
    s3_sse: Literal["", "AES256", "aws:kms"] = Field(
        "AES256",
        description="server-side encryption requested for every object written ('': none)",
    )
    image_base_url: HttpUrl = Field(
        HttpUrl("http://127.0.0.1:8000/images"),
        description="where image URLs point: the read API's /images route locally, a CDN in "
        "production (object keys are appended)",
    )
    image_max_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="largest image upload (413 beyond)"
    )
    image_max_pixels: int = Field(
        40_000_000,
        ge=10_000,
        le=500_000_000,
        description="largest width x height an upload may decode to (a decompression bomb: 422)",
    )
    image_gc_interval_s: int = Field(
        3600,
        ge=0,
        description="how often the workers delete image objects no product references (0: never)",
    )
    image_gc_grace_s: int = Field(
        86400,
        ge=0,
        description="how old an unreferenced image object must be before it is deleted",
    )
    image_max_per_product: int = Field(
        20, ge=1, le=50, description="images one product may hold (uploads beyond: 422)"
    )

    # --- analytics -----------------------------------------------------------
    analytics_queue_size: int = Field(
        10_000, ge=1, le=1_000_000, description="search events a read API holds before dropping"
    )
    analytics_stream_maxlen: int = Field(
        100_000, ge=1000, description="search events the Redis stream keeps (trimmed beyond)"
    )
    analytics_rollup_interval_s: float = Field(
        5.0, gt=0, le=3600, description="how often the workers roll search events up"
    )
    analytics_retention_days: int = Field(
        90, ge=1, le=3650, description="days of search events kept in Elasticsearch"
    )

    # --- query suggestions (built from the search events) ----------------------
    suggestions_interval_s: float = Field(
        600.0, gt=0, le=86_400, description="how often the workers rebuild the query suggestions"
    )
    suggestions_days: int = Field(
        30, ge=1, le=365, description="days of searches the query suggestions are built from"
    )
    suggestions_min_count: int = Field(
        3, ge=1, description="times a query must have been searched to be suggested"
    )
    suggestions_min_letters: int = Field(
        3, ge=1, le=50, description="letters a query needs to be suggested"
    )
    suggestions_max: int = Field(
        1000, ge=1, le=10_000, description="query suggestions kept (the most searched)"
    )
    suggestions_excluded_words: str = Field(
        "",
        max_length=10_000,
        description="comma-separated words: a query containing one is never suggested",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("es_url", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        # an empty part (a stray comma) stays in, so it fails validation instead of vanishing
        return tuple(part.strip() for part in value.split(",")) if isinstance(value, str) else value

    @property
    def csp_img_sources(self) -> str:
        """`csp_img_src` with the origin of `image_base_url` (the product images' host)."""
        url = self.image_base_url
        default_port = {"http": 80, "https": 443}.get(url.scheme)
        port = f":{url.port}" if url.port and url.port != default_port else ""
        origin = f"{url.scheme}://{url.host}{port}"
        sources = self.csp_img_src.split()
        return self.csp_img_src if origin in sources else " ".join([*sources, origin])

    @property
    def es_urls(self) -> list[str]:
        """Every Elasticsearch node URL the clients know, as strings."""
        return [str(url) for url in self.es_url]

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
