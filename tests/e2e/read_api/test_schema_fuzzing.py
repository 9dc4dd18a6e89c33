"""schemathesis over the read API's OpenAPI schema: no 5xx, every answer as documented."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from catalog.settings import Settings
from tests.e2e.conftest import api_url
from tests.e2e.read_api.conftest import Catalog

EXAMPLES_PER_OPERATION = 40


def test_every_search_operation_answers_as_the_schema_says(
    settings: Settings, catalog: Catalog
) -> None:
    # driven per operation, like the write API's fuzzing (schemathesis' pytest loader
    # needs pytest internals that are gone)
    base_url = api_url(settings, "read_api")
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [
        result.ok() for result in schema.get_all_operations() if result.ok().path.startswith("/v1/")
    ]
    assert len(operations) >= 7
    failures: dict[str, str] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            # a schema-valid request may still break a rule JSON Schema cannot express
            # (an unknown field name, a page beyond the window): that 422 is right
            case.call_and_validate(
                base_url=base_url,
                excluded_checks=[schemathesis.checks.positive_data_acceptance],
            )

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # report every operation's failures
            failures[operation.label] = str(exc)[:3000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
