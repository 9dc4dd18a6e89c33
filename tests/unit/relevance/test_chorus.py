"""Reading the Chorus files: ratings by query, bulk lines as they are, the folder to use."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from tests.relevance.chorus import (
    DEFAULT_DIRS,
    DIR_VARIABLE,
    JUDGMENTS_FILE,
    PRODUCTS_FILE,
    chorus_dir,
    chorus_set,
    product_lines,
)
from tests.relevance.judged_set import Document


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A two-query Chorus folder."""
    (tmp_path / JUDGMENTS_FILE).write_text(
        'query,docid,rating\nlaptop,1,3\nlaptop,2,0\n"usb, hub",2,1\nlaptop,3,2\n'
    )
    products = [
        {"id": "1", "title": "Notebook", "brand": "HP", "status": "active"},
        {"id": "2", "title": "USB hub", "description": "4 ports", "status": "active"},
        {"id": "3", "title": "Old", "status": "archived"},
    ]
    lines = b"".join(orjson.dumps({"op": "upsert", "product": p}) + b"\n" for p in products)
    (tmp_path / PRODUCTS_FILE).write_bytes(gzip.compress(lines + b"\n"))
    return tmp_path


def test_ratings_are_grouped_by_query_in_file_order(folder: Path) -> None:
    judged = chorus_set(folder)
    assert judged.queries == ["laptop", "usb, hub"]
    assert judged.ratings["laptop"] == {"1": 3, "2": 0, "3": 2}
    assert judged.dataset == "chorus"


def test_the_baseline_gets_the_active_products(folder: Path) -> None:
    assert chorus_set(folder).documents == [
        Document("1", "Notebook", None, "HP"),
        Document("2", "USB hub", "4 ports", None),
    ]


def test_bulk_lines_are_sent_as_they_are_without_blank_ones(folder: Path) -> None:
    lines = list(product_lines(folder / PRODUCTS_FILE))
    assert len(lines) == 3
    assert orjson.loads(lines[0])["product"]["id"] == "1"


def test_the_folder_is_the_option_then_the_variable_then_the_shared_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DIR_VARIABLE, raising=False)
    assert chorus_dir() in DEFAULT_DIRS
    assert all(d.parts[-3:] == ("shared", "relevance", "chorus") for d in DEFAULT_DIRS)
    monkeypatch.setenv(DIR_VARIABLE, str(tmp_path))
    assert chorus_dir() == tmp_path
    assert chorus_dir(tmp_path / "x") == tmp_path / "x"
