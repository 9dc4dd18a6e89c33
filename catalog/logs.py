"""JSON log lines for every process, carrying the current request id.

No secret reaches a line: the access log names the path, never the query
string (Algolia clients put their key there) nor headers, and as a last line
of defence every formatted line has API key secrets, bearer tokens and the
values of key-like fields (`x-algolia-api-key=…`, `"authorization": …`)
replaced by `[redacted]`, whichever logger wrote it.
"""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# attributes every LogRecord has; anything else was passed through `extra=`
_RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
REDACTED = "[redacted]"
# = or : (maybe quoted or URL-encoded), or the comma of a (name, value) header pair
_SEP = r"(\\?[\"']{0,2}\s*(?:[:=]|%3[aAdD]|,\s*[\"']?b?)\s*\\?[\"']{0,2})"
# (a word each match holds, lowercase; the pattern; its replacement)
_SECRETS = (
    # catalog API keys: the key id is public, the secret is not
    ("csk_", re.compile(r"\b(csk_[0-9a-f]{12}_)[A-Za-z0-9_-]+"), r"\1" + REDACTED),
    ("bearer", re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+"), r"\1" + REDACTED),
    # an Authorization value, whatever its scheme: up to the end of the quoted or plain value
    (
        "authorization",
        re.compile(r"(?i)\b(authorization)" + _SEP + r"[^\"'\n,;}\\&]+"),
        r"\1\2" + REDACTED,
    ),
    # a key-like name, then its value (query strings, header dumps, reprs)
    (
        "key",
        re.compile(r"(?i)\b((?:x-algolia-)?api[_-]?key)" + _SEP + r"[^\s\"'&,;}\\]+"),
        r"\1\2" + REDACTED,
    ),
)


def redact(text: str) -> str:
    """The text with API keys, bearer tokens and key-like values replaced by `[redacted]`."""
    lowered = text.lower()
    for trigger, pattern, replacement in _SECRETS:
        if trigger in lowered:  # most lines hold no trigger word: no regex runs
            text = pattern.sub(replacement, text)
    return text


def json_line(entry: dict[str, Any]) -> str:
    """One log line: the entry as JSON, redacted (the access log writes these too)."""
    return redact(orjson.dumps(entry, default=str).decode())


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object per line, with `extra` fields merged in."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record, its extras and any exception as JSON."""
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json_line(entry)


def configure_logging(level: str = "INFO") -> None:
    """Route every logger (uvicorn's and celery's included) to JSON lines on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "celery"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # access lines come from our own middleware, with the request id
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in ("elasticsearch", "pymongo", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
