"""schemathesis over the write API's OpenAPI schema: no 5xx, every answer as documented."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import orjson
import pytest
import schemathesis
from hypothesis import strategies as st

from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.schema_fuzzing import EXAMPLES_PER_OPERATION, fuzz_failures, report
from tests.strategies.products import products

garbage = st.binary(max_size=200).filter(lambda b: b"\n" not in b)
upsert_lines = products().map(lambda p: orjson.dumps({"op": "upsert", "product": p}))
delete_lines = st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True).map(
    lambda i: orjson.dumps({"op": "delete", "id": i})
)
ndjson_bodies = st.lists(st.one_of(upsert_lines, delete_lines, garbage), max_size=8).map(
    lambda lines: b"\n".join(lines) + b"\n"
)
schemathesis.openapi.media_type("application/x-ndjson", ndjson_bodies)
schemathesis.serializer.alias("application/merge-patch+json", "application/json")
# analyst and search keys may change nothing: most operations answer them 403 whatever
# the input, so fewer examples cover them (about a minute of the suite saved)
EXAMPLES_OF_ROLE = {"admin": EXAMPLES_PER_OPERATION, "editor": EXAMPLES_PER_OPERATION}
REFUSED_ROLE_EXAMPLES = 10


@pytest.fixture(scope="module", autouse=True)
def _no_fuzzed_rules_left(settings: Settings, keys: Keys) -> Iterator[None]:
    """Delete the query rules and synonym sets the fuzzing made: they apply to every later
    search of the stack."""
    yield
    auth = {"Authorization": f"Bearer {keys.editor}"}
    with httpx.Client(base_url=api_url(settings, "write_api"), headers=auth, timeout=30) as api:
        for path in ("/v1/rules", "/v1/synonyms"):
            for entry in api.get(path).json()["items"]:
                api.delete(f"{path}/{entry['objectID']}")
            assert api.get(path).json()["count"] == 0


def _fresh_idempotency_key(case: schemathesis.Case) -> None:
    # generated keys repeat across different bodies, which is (rightly) a 422
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key":
            case.headers[name] = uuid.uuid4().hex  # type: ignore[index]


@pytest.mark.parametrize("role", ["admin", "editor", "analyst", "search"])
def test_every_operation_answers_as_the_schema_says(
    settings: Settings, keys: Keys, role: str
) -> None:
    """With each role's key: what it may do answers as documented, the rest is a 403."""
    failures = fuzz_failures(
        api_url(settings, "write_api"),
        headers={"Authorization": f"Bearer {getattr(keys, role)}"},
        prepare=_fresh_idempotency_key,
        min_operations=10,
        examples=EXAMPLES_OF_ROLE.get(role, REFUSED_ROLE_EXAMPLES),
    )
    assert not failures, report(failures)
