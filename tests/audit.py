"""The end of every sync test: an audit proving Elasticsearch equals MongoDB."""

from __future__ import annotations

import asyncio

from catalog.clients import Clients
from catalog.settings import Settings
from indexer.audit import AuditReport, audit
from tests.stack import wait_for

CONVERGE_S = 180  # a liveness bound (the sweeper resends within a minute), not a speed claim


async def audit_once(settings: Settings) -> AuditReport:
    """One audit of the stack's read model, without repair."""
    clients = Clients.from_settings(settings)
    try:
        return await audit(clients)
    finally:
        await clients.close()


async def converged(clients: Clients, deadline_s: float = CONVERGE_S) -> AuditReport:
    """In a running event loop: wait for a clean audit with nothing in flight, or fail."""
    end = asyncio.get_running_loop().time() + deadline_s
    while True:
        report = await audit(clients)
        if report.clean and report.in_flight == 0:
            return report
        if asyncio.get_running_loop().time() > end:
            raise AssertionError(f"no clean audit within {deadline_s:g}s: {report.as_document()}")
        await asyncio.sleep(1)


def assert_clean_audit(settings: Settings, deadline_s: float = CONVERGE_S) -> AuditReport:
    """Wait until an audit finds both sides equal, nothing in flight; fail with the last report."""
    reports: list[AuditReport] = []

    def clean() -> bool:
        reports.append(asyncio.run(audit_once(settings)))
        return reports[-1].clean and reports[-1].in_flight == 0

    try:
        wait_for(clean, deadline_s, "a clean audit")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; last audit: {reports[-1].as_document()}") from None
    return reports[-1]
