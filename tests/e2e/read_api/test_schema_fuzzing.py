"""schemathesis over the read API's OpenAPI schema: no 5xx, every answer as documented."""

from __future__ import annotations

import pytest

from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url
from tests.e2e.read_api.conftest import Catalog
from tests.schema_fuzzing import fuzz_failures, report


@pytest.mark.parametrize("role", [None, "search", "analyst"])
def test_every_search_operation_answers_as_the_schema_says(
    settings: Settings, catalog: Catalog, keys: Keys, role: str | None
) -> None:
    """Anonymous, with a search key (analytics refused) and an analyst's (analytics answered)."""
    headers = {"X-API-Key": getattr(keys, role)} if role else None
    failures = fuzz_failures(
        api_url(settings, "read_api"), path_prefix="/v1/", headers=headers, min_operations=7
    )
    assert not failures, report(failures)
