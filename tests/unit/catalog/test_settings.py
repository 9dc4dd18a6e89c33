"""Settings: defaults, environment overrides, derived Celery URLs, validation."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from catalog.settings import Settings, _with_db


def test_defaults_point_at_the_local_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("CATALOG_")]:
        monkeypatch.delenv(name)
    settings = Settings(_env_file=None)
    assert str(settings.mongo_url) == "mongodb://127.0.0.1:27017"
    assert settings.es_urls == ["http://127.0.0.1:9200/"]
    assert settings.read_api_port == 8000
    assert settings.write_api_port == 8001


def test_environment_overrides_each_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOG_REDIS_URL", "redis://cache.internal:6380/3")
    monkeypatch.setenv("CATALOG_READ_API_PORT", "18000")
    monkeypatch.setenv("CATALOG_LOG_LEVEL", "debug")
    settings = Settings(_env_file=None)
    assert str(settings.redis_url) == "redis://cache.internal:6380/3"
    assert settings.read_api_port == 18000
    assert settings.log_level == "DEBUG"


def test_celery_urls_derive_from_redis_url_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOG_REDIS_URL", "redis://127.0.0.1:16379/0")
    monkeypatch.delenv("CATALOG_BROKER_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.celery_broker_url == "redis://127.0.0.1:16379/1"
    assert settings.celery_result_backend == "redis://127.0.0.1:16379/2"
    monkeypatch.setenv("CATALOG_BROKER_URL", "redis://broker:6379/5")
    assert Settings(_env_file=None).celery_broker_url == "redis://broker:6379/5"


def test_es_url_takes_several_nodes_separated_by_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOG_ES_URL", "http://127.0.0.1:9200, http://127.0.0.1:9201")
    settings = Settings(_env_file=None)
    assert settings.es_urls == ["http://127.0.0.1:9200/", "http://127.0.0.1:9201/"]


@pytest.mark.parametrize(
    ("url", "db", "expected"),
    [
        ("redis://h:1/0", 4, "redis://h:1/4"),
        ("redis://h:1", 1, "redis://h:1/1"),
        ("redis://h:1/", 2, "redis://h:1/2"),
    ],
)
def test_with_db_replaces_or_appends_the_database(url: str, db: int, expected: str) -> None:
    assert _with_db(url, db) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CATALOG_READ_API_PORT", "70000"),
        ("CATALOG_ES_URL", "not a url"),
        ("CATALOG_ES_URL", "http://127.0.0.1:9200,not a url"),
        ("CATALOG_ES_URL", "http://127.0.0.1:9200,"),
        ("CATALOG_ES_URL", ""),
        ("CATALOG_LOG_LEVEL", "LOUD"),
        ("CATALOG_ES_INDEX_PREFIX", "Upper Case"),
        ("CATALOG_DEPENDENCY_TIMEOUT_S", "0"),
    ],
)
def test_invalid_values_are_rejected_with_the_field_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None)
    field = name.removeprefix("CATALOG_").lower()
    assert field in {str(e["loc"][0]) for e in error.value.errors()}
