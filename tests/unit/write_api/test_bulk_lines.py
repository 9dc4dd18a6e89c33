"""Parsing one bulk line: an operation, or an error naming the line and the fields."""

from __future__ import annotations

from catalog.products.model import BulkDelete, BulkUpsert
from write_api.bulk import LineResult, parse_line


def test_an_upsert_line_becomes_an_operation() -> None:
    op = parse_line(1, b'{"op":"upsert","product":{"id":"A","title":"t","price":1}}', 100)
    assert isinstance(op, BulkUpsert)
    assert op.product.id == "A"


def test_a_delete_line_becomes_an_operation() -> None:
    assert isinstance(parse_line(1, b'{"op":"delete","id":"A"}', 100), BulkDelete)


def test_errors_name_the_line_the_id_and_each_field() -> None:
    result = parse_line(7, b'{"op":"upsert","product":{"id":"A","title":"","price":-1}}', 100)
    assert isinstance(result, LineResult)
    assert (result.line, result.status, result.id, result.op) == (7, "error", "A", "upsert")
    assert result.error is not None
    assert {f["path"] for f in result.error["fields"]} == {"product.title", "product.price"}


def test_an_unknown_op_is_blamed_on_op() -> None:
    result = parse_line(2, b'{"op":"merge","id":"A"}', 100)
    assert isinstance(result, LineResult)
    assert result.error is not None
    assert [f["path"] for f in result.error["fields"]] == ["op"]


def test_broken_json_and_long_lines_are_errors() -> None:
    broken = parse_line(3, b"{nope", 100)
    assert isinstance(broken, LineResult)
    assert broken.error is not None
    assert broken.error["message"].startswith("invalid JSON")
    too_long = parse_line(4, None, 100)
    assert isinstance(too_long, LineResult)
    assert too_long.error == {"message": "line longer than 100 bytes"}
