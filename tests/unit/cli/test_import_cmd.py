"""Adding up the bulk API's streamed results, and chunked sending against a fake server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import typer
from rich.progress import Progress
from typer.testing import CliRunner

from cli.import_cmd import ImportFailed, ImportTally, LineError, import_file, run_import, tally


def summary(**counts: int) -> dict[str, Any]:
    base = dict.fromkeys(("created", "updated", "unchanged", "deleted", "not_found", "errors"), 0)
    return {"summary": {**base, **counts}}


def error(line: int, product_id: str, message: str, *fields: str) -> dict[str, Any]:
    details = [{"path": f, "message": "invalid"} for f in fields]
    return {
        "line": line,
        "id": product_id,
        "op": "upsert",
        "status": "error",
        "error": {"message": message, "fields": details},
    }


def test_request_lines_map_to_file_lines() -> None:
    results = [
        {"line": 1, "id": "A", "op": "upsert", "status": "created", "version": 1},
        error(2, "B", "invalid product", "product.price"),
        error(3, "C", "bad json"),
        summary(lines=3, created=1, errors=2),
    ]
    out = tally(results, range(50_001, 50_004))
    assert out.complete
    assert out.errors == [
        LineError(50_002, "B", "invalid product (product.price: invalid)"),
        LineError(50_003, "C", "bad json"),
    ]


def test_skipped_lines_map_through_the_list() -> None:
    out = tally([error(2, "X", "no"), summary(lines=2, errors=1)], [2, 7])
    assert out.errors[0].file_line == 7


def test_a_line_number_outside_the_request_has_no_file_line() -> None:
    assert tally([error(9, "X", "no")], [1, 2]).errors[0].file_line is None


def test_a_stream_without_summary_is_incomplete_and_counts_what_it_answered() -> None:
    out = tally([{"line": 1, "id": "A", "status": "created", "version": 1}], [1, 2])
    assert not out.complete
    assert (out.answered, out.counts["lines"], out.counts["created"]) == (1, 1, 1)


def test_summaries_add_up_and_errors_stay_in_file_order() -> None:
    total = ImportTally()
    total.add(tally([error(1, "A", "a"), summary(lines=2, created=1, errors=1)], [1, 2]))
    total.local_error(3, "column 'price': 'x' is not a number")
    total.add(tally([error(2, "D", "d"), summary(lines=2, updated=1, errors=1)], [4, 5]))
    assert total.counts == {
        "lines": 5,
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "deleted": 0,
        "not_found": 0,
        "errors": 3,
    }
    assert [e.file_line for e in total.errors] == [1, 3, 5]


def test_only_the_first_twenty_errors_are_kept() -> None:
    total = ImportTally()
    for start in (1, 101):
        lines = range(start, start + 30)
        results = [error(n, f"P{n}", "bad") for n in range(1, 31)]
        total.add(tally([*results, summary(lines=30, errors=30)], lines))
    assert total.counts["errors"] == 60
    assert [e.file_line for e in total.errors] == list(range(1, 21))


class FakeBulkApi:
    """Answers each bulk request like the write API: results per line, then a summary."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        lines = request.read().splitlines()
        results = []
        for n, raw in enumerate(lines, start=1):
            product = orjson.loads(raw)["product"]
            ok = product["price"] >= 0
            status = (
                {"status": "created", "version": 1} if ok else error(n, product["id"], "negative")
            )
            results.append({"line": n, "id": product["id"], "op": "upsert", **status})
        errors = sum(r["status"] == "error" for r in results)
        created = len(results) - errors
        body = [*results, summary(lines=len(results), created=created, errors=errors)]
        content = b"".join(orjson.dumps(r) + b"\n" for r in body)
        return httpx.Response(200, content=content)


def test_a_csv_file_goes_in_chunks_and_errors_point_at_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text(
        "\ufeffid;title;price\nA;Hülle;9,99\nB;Kabel;x\nC;Netzteil;-1\nD;Glas;5\nE;Halter;7\n",
        encoding="utf-8",
    )
    api = FakeBulkApi()
    with httpx.Client(base_url="http://write.test", transport=httpx.MockTransport(api)) as client:
        result = run_import(path, client, batch_lines=2, progress=Progress(disable=True))
    assert len(api.requests) == 2
    assert [r.read().count(b"\n") for r in api.requests] == [2, 2]
    assert all(r.url.path == "/v1/products:bulk" for r in api.requests)
    assert all("content-length" in r.headers for r in api.requests)
    assert not any("transfer-encoding" in r.headers for r in api.requests)
    assert result.counts["lines"] == 5
    assert result.counts["created"] == 3
    assert result.counts["errors"] == 2
    assert [(e.file_line, e.id) for e in result.errors] == [(3, None), (4, "C")]


def test_an_ndjson_file_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "products.ndjson"
    lines = [orjson.dumps({"op": "upsert", "product": {"id": i, "price": 1}}) for i in "ABC"]
    path.write_bytes(lines[0] + b"\n\n" + lines[1] + b"\r\n" + lines[2])
    api = FakeBulkApi()
    with httpx.Client(base_url="http://write.test", transport=httpx.MockTransport(api)) as client:
        result = run_import(path, client, batch_lines=10, progress=Progress(disable=True))
    assert len(api.requests) == 1
    assert api.requests[0].read() == b"".join(line + b"\n" for line in lines)
    assert result.counts["created"] == 3


def test_an_http_error_stops_the_import(tmp_path: Path) -> None:
    path = tmp_path / "products.jsonl"
    path.write_bytes(b'{"op":"delete","id":"A"}\n')

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"detail": "invalid API key"})

    with (
        httpx.Client(base_url="http://write.test", transport=httpx.MockTransport(refuse)) as client,
        pytest.raises(ImportFailed, match="HTTP 401: invalid API key"),
    ):
        run_import(path, client, batch_lines=10, progress=Progress(disable=True))


def test_a_failure_keeps_what_the_earlier_chunks_did(tmp_path: Path) -> None:
    path = tmp_path / "products.ndjson"
    lines = [orjson.dumps({"op": "upsert", "product": {"id": i, "price": 1}}) for i in "ABC"]
    path.write_bytes(b"\n".join(lines))
    api = FakeBulkApi()

    def full(request: httpx.Request) -> httpx.Response:
        if api.requests:
            return httpx.Response(413, json={"detail": "body too large"})
        return api(request)

    with (
        httpx.Client(base_url="http://write.test", transport=httpx.MockTransport(full)) as client,
        pytest.raises(
            ImportFailed, match=r"413: body too large \(try a smaller --batch-lines\)"
        ) as e,
    ):
        run_import(path, client, batch_lines=2, progress=Progress(disable=True))
    assert e.value.done is not None
    assert e.value.done.counts["created"] == 2


def test_unknown_csv_columns_stop_the_import_before_sending(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("id,prise\nA,1\n", encoding="utf-8")
    api = FakeBulkApi()
    with (
        httpx.Client(base_url="http://write.test", transport=httpx.MockTransport(api)) as client,
        pytest.raises(ImportFailed, match="prise"),
    ):
        run_import(path, client, batch_lines=10, progress=Progress(disable=True))
    assert api.requests == []


def test_a_dropped_connection_repeats_only_that_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("catalog.importing.bulk_client.time.sleep", lambda _: None)
    path = tmp_path / "products.ndjson"
    lines = [orjson.dumps({"op": "upsert", "product": {"id": i, "price": 1}}) for i in "ABC"]
    path.write_bytes(b"\n".join(lines) + b"\n")
    api = FakeBulkApi()
    calls: list[bytes] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.read())
        if len(calls) == 2:  # the second chunk's first attempt
            raise httpx.RemoteProtocolError("peer closed connection")
        return api(request)

    with httpx.Client(base_url="http://write.test", transport=httpx.MockTransport(flaky)) as client:
        result = run_import(path, client, batch_lines=2, progress=Progress(disable=True))
    assert calls[1] == calls[2] == lines[2] + b"\n"
    assert len(calls) == 3
    assert result.counts["created"] == 3


def _five_lines(tmp_path: Path) -> tuple[Path, list[bytes]]:
    path = tmp_path / "products.ndjson"
    lines = [orjson.dumps({"op": "upsert", "product": {"id": i, "price": 1}}) for i in "ABCDE"]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, lines


def test_a_503_is_waited_out_for_as_long_as_retry_after_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("catalog.importing.bulk_client.time.sleep", waits.append)
    path, _ = _five_lines(tmp_path)
    api = FakeBulkApi()
    refusals = iter([True, True, False])

    def restarting(request: httpx.Request) -> httpx.Response:
        if next(refusals):
            return httpx.Response(503, headers={"Retry-After": "7"}, json={"detail": "down"})
        return api(request)

    transport = httpx.MockTransport(restarting)
    with httpx.Client(base_url="http://write.test", transport=transport) as client:
        result = run_import(path, client, batch_lines=10, progress=Progress(disable=True))
    assert waits == [7.0, 7.0]
    assert result.counts["created"] == 5


def test_an_answer_cut_short_by_a_dependency_resends_only_the_lines_not_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("catalog.importing.bulk_client.time.sleep", lambda _: None)
    path, lines = _five_lines(tmp_path)
    api = FakeBulkApi()
    bodies: list[bytes] = []

    def failing_midway(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        if len(bodies) > 1:
            return api(request)
        answered = [
            {"line": n, "id": i, "op": "upsert", "status": "created", "version": 1}
            for n, i in ((1, "A"), (2, "B"))
        ]
        cut = {"summary": {"lines": 2, "created": 2, "aborted": "mongodb", "retryable": True}}
        return httpx.Response(
            200, content=b"".join(orjson.dumps(r) + b"\n" for r in [*answered, cut])
        )

    transport = httpx.MockTransport(failing_midway)
    with httpx.Client(base_url="http://write.test", transport=transport) as client:
        result = run_import(path, client, batch_lines=10, progress=Progress(disable=True))
    assert bodies[1] == b"".join(line + b"\n" for line in lines[2:])
    assert (result.counts["lines"], result.counts["created"]) == (5, 5)


def test_an_answer_stopped_for_the_request_itself_fails_the_import(tmp_path: Path) -> None:
    path, _ = _five_lines(tmp_path)

    def stopping(request: httpx.Request) -> httpx.Response:
        cut = {"summary": {"lines": 0, "aborted": "internal error", "retryable": False}}
        return httpx.Response(200, content=orjson.dumps(cut) + b"\n")

    transport = httpx.MockTransport(stopping)
    with (
        httpx.Client(base_url="http://write.test", transport=transport) as client,
        pytest.raises(ImportFailed, match="stopped the import: internal error"),
    ):
        run_import(path, client, batch_lines=10, progress=Progress(disable=True))


def test_the_command_exits_2_for_an_unknown_file_type(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(import_file)
    path = tmp_path / "products.xml"
    path.write_text("<products/>")
    outcome = CliRunner().invoke(app, [str(path), "--key", "k"])
    assert outcome.exit_code == 2
    assert "cannot tell the format" in outcome.output
