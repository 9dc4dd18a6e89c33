"""Which dependency an exception points at decides the 503 answer."""

from __future__ import annotations

import elasticsearch.exceptions as es_errors
import orjson
import pymongo.errors as mongo_errors
import pytest
import redis.exceptions as redis_errors

from catalog.web.errors import dependency_of, unavailable


@pytest.mark.parametrize(
    ("exc", "dependency"),
    [
        (mongo_errors.ServerSelectionTimeoutError("no servers"), "mongodb"),
        (mongo_errors.AutoReconnect("reset"), "mongodb"),
        (es_errors.ConnectionError("N/A", "refused", None), "elasticsearch"),
        (es_errors.ConnectionTimeout("TIMEOUT", "slow", None), "elasticsearch"),
        (redis_errors.ConnectionError("refused"), "redis"),
        (redis_errors.TimeoutError("slow"), "redis"),
    ],
)
def test_dependency_failures_are_named(exc: Exception, dependency: str) -> None:
    assert dependency_of(exc) == dependency


@pytest.mark.parametrize(
    "exc",
    [ValueError("bad"), mongo_errors.DuplicateKeyError("dup"), KeyError("k")],
)
def test_other_errors_are_not_blamed_on_a_dependency(exc: Exception) -> None:
    assert dependency_of(exc) is None


def test_the_503_answer_names_the_dependency_and_says_when_to_retry() -> None:
    response = unavailable("mongodb", 3)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "3"
    assert orjson.loads(response.body)["dependency"] == "mongodb"


def test_validation_errors_keep_paths_and_never_echo_unencodable_input() -> None:
    from catalog.web.errors import validation_errors

    rendered = validation_errors(
        [{"loc": ("body", "title"), "msg": "bad \ud800 text", "type": "x", "input": "\ud800"}]
    )
    assert rendered == [{"loc": ["body", "title"], "msg": "bad ? text", "type": "x"}]
    orjson.dumps(rendered)  # encodable
