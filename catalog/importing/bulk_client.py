"""Chunked upserts of a product file through the write API's bulk endpoint, with retries."""

from __future__ import annotations

import contextlib
import csv
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import orjson
from rich.progress import Progress, TaskID

from catalog.importing.csv_rows import csv_lines_to_bulk, unknown_columns

COUNTS = ("lines", "created", "updated", "unchanged", "deleted", "not_found", "errors")
MAX_ERRORS = 20
NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".json")
# per chunk, on a dropped connection, a 503/429 or an answer cut short by a failed
# dependency: the waits add up to about two minutes, a restart of the write API
# or of its database
ATTEMPTS = 8
MAX_WAIT_S = 30.0
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
SPOOL_BYTES = 16 * 1024 * 1024  # a chunk's body beyond this waits on disk, not in memory
_BLOCK = 256 * 1024
_BOM = b"\xef\xbb\xbf"

# (file line, NDJSON line to send or None, conversion error or None)
SourceLine = tuple[int, bytes | None, str | None]


class ImportFailed(Exception):
    """The import cannot go on: the server refused it, or the file cannot be read."""

    done: ImportTally | None = None  # what the chunks before the failure achieved


@dataclass(frozen=True)
class LineError:
    """One line that failed: where it is in the file, its product id, and why."""

    file_line: int | None
    id: str | None
    message: str


@dataclass
class ImportTally:
    """Lines by outcome and the first errors, of one request or of a whole import."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    errors: list[LineError] = field(default_factory=list)
    complete: bool = True  # False when a results stream ended before its summary
    answered: int = 0  # lines with a result of their own
    aborted: str | None = None  # why the server stopped before the last line
    retryable: bool = False  # whether the lines it did not answer may be sent again

    def add(self, other: ImportTally) -> None:
        """Add another tally's counts; keep the first errors of both in file order."""
        for name, value in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        merged = sorted([*self.errors, *other.errors], key=lambda e: e.file_line or 0)
        self.errors = merged[:MAX_ERRORS]

    def local_error(self, file_line: int, message: str) -> None:
        """Count a line that failed before it was sent."""
        self.counts["lines"] += 1
        self.counts["errors"] += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(LineError(file_line, None, message))


def tally(results: Iterable[dict[str, Any]], file_lines: Sequence[int]) -> ImportTally:
    """Sum one request's results; its line n is file line `file_lines[n - 1]`."""
    out = ImportTally(complete=False)
    seen = dict.fromkeys(COUNTS, 0)  # the counts of a stream cut off before its summary
    for result in results:
        summary = result.get("summary")
        if isinstance(summary, dict):
            for name in COUNTS:
                out.counts[name] += int(summary.get(name, 0))
            out.complete = True
            out.aborted = summary.get("aborted")
            out.retryable = bool(summary.get("retryable"))
            continue
        out.answered += 1
        status = result.get("status")
        seen["lines"] += 1
        name = "errors" if status == "error" else str(status)
        if name in seen:
            seen[name] += 1
        if status == "error" and len(out.errors) < MAX_ERRORS:
            line, file_line = result.get("line"), None
            if isinstance(line, int) and 1 <= line <= len(file_lines):
                file_line = file_lines[line - 1]
            out.errors.append(LineError(file_line, result.get("id"), _message(result)))
    if not out.complete:
        out.counts = seen
    return out


def run_import(
    path: Path, client: httpx.Client, batch_lines: int, progress: Progress
) -> ImportTally:
    """Send the file in chunks of at most `batch_lines` lines and add up the answers."""
    total = ImportTally()
    task = progress.add_task(path.name, total=_count_lines(path))
    try:
        with _source(path) as source:
            for chunk, file_lines, local in _chunks(source, batch_lines):
                total.add(local)
                progress.advance(task, local.counts["lines"])
                if file_lines:
                    total.add(_send(client, chunk, file_lines, progress, task))
    except ImportFailed as exc:
        exc.done = total
        raise
    return total


def _send(
    client: httpx.Client, chunk: IO[bytes], file_lines: list[int], progress: Progress, task: TaskID
) -> ImportTally:
    """Send one chunk; after a failure, send again the lines without an answer.

    Upserts are idempotent, and a line answered once is never sent twice, so
    a retry neither writes a version twice nor counts a line twice.
    """
    done = ImportTally()
    sent = 0  # lines of the chunk answered so far
    reason, wait = "", 0.0
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(wait)
        wait = min(2.0 ** (attempt + 1), MAX_WAIT_S)
        results: list[Any] = []
        size, body = _lines_after(chunk, sent)
        try:
            with client.stream(
                "POST", "/v1/products:bulk", content=body, headers={"Content-Length": str(size)}
            ) as response:
                if response.status_code in RETRIED_STATUSES:
                    response.read()
                    reason = _http_error(response)
                    wait = _retry_after(response, wait)
                    continue
                if response.is_error:
                    response.read()
                    raise ImportFailed(_http_error(response))
                results.extend(_results(response, progress, task))
        except httpx.TransportError as exc:
            reason = f"{type(exc).__name__}: {exc}"
        except orjson.JSONDecodeError as exc:
            raise ImportFailed(f"the server's answer is not NDJSON: {exc}") from None
        part = tally(results, file_lines[sent:])
        done.add(part)
        sent += part.answered
        if part.complete and part.aborted is None:
            return done
        if part.aborted is not None and not part.retryable:
            raise ImportFailed(f"the server stopped the import: {part.aborted}")
        if sent >= len(file_lines) and part.complete:
            return done
        reason = part.aborted or reason or "the answer ended before its summary"
    lines = f"file lines {file_lines[sent]}-{file_lines[-1]}"
    raise ImportFailed(f"{lines} not imported after {ATTEMPTS} attempts: {reason}")


def _lines_after(chunk: IO[bytes], skipped: int) -> tuple[int, Iterator[bytes]]:
    """The chunk's body from line `skipped` on: its size, and its blocks."""
    chunk.seek(0)
    for _ in range(skipped):
        chunk.readline()
    start = chunk.tell()
    size = chunk.seek(0, 2) - start
    chunk.seek(start)
    return size, iter(lambda: chunk.read(_BLOCK), b"")


def _retry_after(response: httpx.Response, default: float) -> float:
    """The server's Retry-After in seconds (bounded), or `default`."""
    try:
        return min(max(float(response.headers.get("Retry-After", "")), 0.0), MAX_WAIT_S)
    except ValueError:
        return default


def _results(response: httpx.Response, progress: Progress, task: TaskID) -> Iterator[Any]:
    for text in response.iter_lines():
        if text.strip():
            result = orjson.loads(text)
            if isinstance(result, dict) and "summary" not in result:
                progress.advance(task)
            yield result


@contextlib.contextmanager
def _source(path: Path) -> Iterator[Iterator[SourceLine]]:
    suffix = path.suffix.lower()
    if suffix in NDJSON_SUFFIXES:
        with path.open("rb") as file:
            yield _ndjson_lines(file)
    elif suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as file:
            yield _csv_lines(file)
    else:
        raise ImportFailed(f"cannot tell the format of {path.name}: use .ndjson, .jsonl or .csv")


def _ndjson_lines(file: IO[bytes]) -> Iterator[SourceLine]:
    for number, raw in enumerate(file, start=1):
        line = raw.removeprefix(_BOM).strip() if number == 1 else raw.strip()
        if line:  # blank lines are not operations; the server is not asked about them
            yield number, line + b"\n", None


def _csv_lines(file: IO[str]) -> Iterator[SourceLine]:
    # spreadsheets set to German write ";" between cells
    header = file.readline()
    file.seek(0)
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(file, delimiter=delimiter)
    unknown = unknown_columns(reader.fieldnames or [])
    if unknown:
        raise ImportFailed(f"unknown CSV columns: {', '.join(unknown)}")
    try:
        yield from csv_lines_to_bulk(reader)
    except csv.Error as exc:
        raise ImportFailed(f"CSV line {reader.line_num}: {exc}") from None


def _chunks(
    source: Iterator[SourceLine], batch_lines: int
) -> Iterator[tuple[IO[bytes], list[int], ImportTally]]:
    # a chunk's body, the file line of each of its lines, and its lines that failed locally
    exhausted = False
    while not exhausted:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as chunk:
            file_lines: list[int] = []
            local = ImportTally()
            exhausted = True
            for file_line, line, error in source:
                if line is None:
                    local.local_error(file_line, error or "cannot be converted")
                    continue
                chunk.write(line)
                file_lines.append(file_line)
                if len(file_lines) == batch_lines:
                    exhausted = False
                    break
            yield chunk, file_lines, local


def _count_lines(path: Path) -> int:
    # a fast pass over the bytes, for the progress bar only
    count, last = 0, b"\n"
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    count += last != b"\n"
    return max(0, count - 1) if path.suffix.lower() == ".csv" else count


def _message(result: dict[str, Any]) -> str:
    error = result.get("error") or {}
    fields = "; ".join(f"{f.get('path')}: {f.get('message')}" for f in error.get("fields") or [])
    message = str(error.get("message") or "error")
    return f"{message} ({fields})" if fields else message


def _http_error(response: httpx.Response) -> str:
    try:
        body = response.json()
        detail = body.get("detail", body) if isinstance(body, dict) else body
    except ValueError:
        detail = response.text[:500]
    hint = " (try a smaller --batch-lines)" if response.status_code == 413 else ""
    retry = response.headers.get("Retry-After")
    retry_text = f", retry after {retry}s" if retry else ""
    return f"HTTP {response.status_code}: {detail}{hint}{retry_text}"
