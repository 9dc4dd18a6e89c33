"""schemathesis driven per operation over a running API's OpenAPI schema.

schemathesis' pytest loader relies on pytest internals that pytest 9.2
dropped, so each operation's strategy is driven here directly. Every
operation runs, and the failures of all of them are reported together, each
with the exceptions inside it (hypothesis groups them), not only their count.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

EXAMPLES_PER_OPERATION = 40
# an operation that takes nothing but headers varies little; some are costly (sync status scans)
EXAMPLES_WITHOUT_INPUTS = 5
# operations whose inputs vary little (a flag) but each call scans the catalog: the sync
# status counts every product (a scan on FerretDB; over half of the write API's fuzzing
# time with the whole suite's catalog in the stack)
FEW_EXAMPLES = frozenset({"GET /v1/sync/status"})
MAX_REPORT_CHARS = 4000
Prepare = Callable[[schemathesis.Case], None]


def _described(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc))
    # the innermost exceptions, where the status and the check that failed are named
    return text[-MAX_REPORT_CHARS:]


def fuzz_failures(
    base_url: str,
    *,
    path_prefix: str = "/",
    headers: dict[str, str] | None = None,
    prepare: Prepare | None = None,
    min_operations: int = 1,
    examples: int = EXAMPLES_PER_OPERATION,
) -> dict[str, str]:
    """Each operation under `path_prefix` whose generated requests broke the schema, and how.

    The positive-data check is left out: a schema-valid request may still break
    a rule JSON Schema cannot express (sale_price <= price, an unknown field
    name, a page beyond the window), and that 422 is right.
    """
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith(path_prefix)
    ]
    assert len(operations) >= min_operations, [op.label for op in operations]
    failures: dict[str, str] = {}
    for operation in operations:
        inputs = len(operation.path_parameters) + len(operation.query) + len(operation.body)
        varied = inputs and operation.label not in FEW_EXAMPLES

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=examples if varied else min(examples, EXAMPLES_WITHOUT_INPUTS),
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            if prepare is not None:
                prepare(case)
            case.call_and_validate(
                base_url=base_url,
                headers=headers,
                excluded_checks=[schemathesis.checks.positive_data_acceptance],
            )

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # report every operation's failures
            failures[operation.label] = _described(exc)
    return failures


def report(failures: dict[str, str]) -> str:
    """The failures as one assertion message."""
    return "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
