"""The Chorus electronics catalog: Icecat products and shoppers' queries rated 0-3 by people.

The folder holds `products.ndjson.gz` (every product as a write API bulk
line, all active, each with `attributes.dataset = "chorus"`) and
`judgments-dev.csv` (`query,docid,rating`; docid is the product id). It is
../shared/relevance/chorus beside the repository (or /work/shared's copy)
unless CATALOG_CHORUS_DIR or the caller names another. Products stream from the file, so loading
needs no more memory than one chunk of lines.
"""

from __future__ import annotations

import csv
import gzip
import os
from collections.abc import Iterator
from pathlib import Path

import orjson

from catalog.settings import Settings
from tests.bulk_load import Loaded, load_products
from tests.relevance.judged_set import Document, JudgedSet

NAME = "chorus"
DATASET = "chorus"
ROOT = Path(__file__).resolve().parents[2]
# beside this checkout, else the workplace's shared copy (a clone may live anywhere)
DEFAULT_DIRS = (
    ROOT.parent / "shared" / "relevance" / "chorus",
    Path("/work/shared/relevance/chorus"),
)
DIR_VARIABLE = "CATALOG_CHORUS_DIR"
PRODUCTS_FILE = "products.ndjson.gz"
JUDGMENTS_FILE = "judgments-dev.csv"


def chorus_dir(folder: Path | None = None) -> Path:
    """Where the Chorus files are: `folder`, else $CATALOG_CHORUS_DIR, else the shared copy."""
    if folder is not None:
        return folder
    if DIR_VARIABLE in os.environ:
        return Path(os.environ[DIR_VARIABLE])
    return next((d for d in DEFAULT_DIRS if (d / JUDGMENTS_FILE).is_file()), DEFAULT_DIRS[0])


def read_judgments(path: Path) -> dict[str, dict[str, int]]:
    """query -> product id -> rating, queries in the file's order."""
    ratings: dict[str, dict[str, int]] = {}
    with path.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            ratings.setdefault(row["query"], {})[row["docid"]] = int(row["rating"])
    return ratings


def product_lines(path: Path) -> Iterator[bytes]:
    """The file's bulk lines as they are, blank lines skipped."""
    with gzip.open(path, "rb") as file:
        for line in file:
            if line.strip():
                yield line


def read_documents(path: Path) -> list[Document]:
    """The baseline's fields of every active product in the file."""
    products = (orjson.loads(line)["product"] for line in product_lines(path))
    return [Document.from_product(p) for p in products if p.get("status", "active") == "active"]


def chorus_set(folder: Path | None = None) -> JudgedSet:
    """The judged dev half of Chorus, with the products for the baseline."""
    where = chorus_dir(folder)
    return JudgedSet(
        name=NAME,
        dataset=DATASET,
        ratings=read_judgments(where / JUDGMENTS_FILE),
        documents=read_documents(where / PRODUCTS_FILE),
    )


def load_chorus(settings: Settings, key: str, folder: Path | None = None) -> Loaded:
    """Import every Chorus product through the write API; return once all are searchable."""
    return load_products(settings, key, product_lines(chorus_dir(folder) / PRODUCTS_FILE))
