"""Counting the commands each process sends to MongoDB: round trips per product, measured.

A pymongo command listener counts every command by name, with the
collection it named, into a Prometheus counter. The benchmarks read it from
the write API's and the workers' /metrics before and after a run and divide by
the products the run wrote.
"""

from __future__ import annotations

from prometheus_client import Counter
from pymongo import monitoring

COMMANDS = Counter(
    "catalog_mongo_commands_total",
    "Commands sent to the MongoDB-protocol server, by command and collection",
    ["command", "collection"],
)
# the handshake and health commands of the driver itself, not the application's
_DRIVER_COMMANDS = frozenset({"hello", "ismaster", "isMaster", "ping", "endSessions", "buildInfo"})


class CommandCounter(monitoring.CommandListener):
    """Counts each command as it starts (whatever its outcome)."""

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        name = event.command_name
        if name in _DRIVER_COMMANDS:
            return
        target = event.command.get(name)
        collection = target if isinstance(target, str) else ""
        COMMANDS.labels(name, collection).inc()

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


LISTENER = CommandCounter()
