"""The `catalog` command against the test stack: keys, demo generation, imports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from catalog.settings import Settings
from tests.e2e.conftest import Keys, api_url

CATALOG = [sys.executable, "-m", "cli"]


def catalog(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, against the test stack (environment inherited)."""
    return subprocess.run(
        [*CATALOG, *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_keys_create_prints_the_key_alone_on_one_line(settings: Settings) -> None:
    result = catalog("keys", "create", "--role", "editor", "--name", "cli test")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"csk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n", result.stdout)
    key = result.stdout.strip()
    status = httpx.get(
        f"{api_url(settings, 'write_api')}/v1/sync/status",
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert status.status_code == 200
    assert catalog("keys", "create", "--role", "owner").returncode != 0


def test_a_demo_catalog_imports_through_the_bulk_endpoint_and_reimports_unchanged(
    tmp_path: Path, settings: Settings, keys: Keys
) -> None:
    demo, pictures = tmp_path / "demo.ndjson", tmp_path / "pictures"
    generated = catalog(
        "demo", "generate", "--count", "1200", "--seed", "7", "-o", str(demo),
        "--pictures", str(pictures),
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    assert len(demo.read_bytes().splitlines()) == 1200
    stored_pictures = catalog("demo", "pictures", str(pictures))  # before products name them
    assert stored_pictures.returncode == 0, stored_pictures.stderr
    drawn = len(list(pictures.glob("*.png")))
    assert f"{drawn} pictures:" in stored_pictures.stderr
    url = api_url(settings, "write_api")
    args = ("import", str(demo), "--key", keys.editor, "--url", url, "--batch-lines", "500")
    first = catalog(*args)
    assert first.returncode == 0, first.stdout + first.stderr
    second = catalog(*args)
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"unchanged\s*│\s*1,200", second.stdout), second.stdout
    product_id = __import__("orjson").loads(demo.read_bytes().splitlines()[0])["product"]["id"]
    stored = httpx.get(
        f"{url}/v1/products/{product_id}",
        headers={"Authorization": f"Bearer {keys.editor}"},
        timeout=30,
    )
    assert stored.status_code == 200
    # its drawn picture's thumbnail is served from the image host (the read API here)
    thumbnail = stored.json()["images"][0]["thumbnails"][0]
    served = httpx.get(thumbnail["url"], timeout=30)
    assert (served.status_code, served.headers["content-type"]) == (200, "image/webp")


def test_a_csv_import_reports_the_bad_row_and_fails(
    tmp_path: Path, settings: Settings, keys: Keys
) -> None:
    csv_file = tmp_path / "products.csv"
    csv_file.write_text(
        "id,title,price,stock,categories,attr.color\n"
        'CSV-1,Ladekabel USB-C 1 m,"9,99",5,Handyzubehör > Kabel,schwarz\n'
        "CSV-2,,4.99,1,Handyzubehör > Kabel,weiß\n"
        "CSV-3,Panzerglas iPhone 15,14.99,0,Handyzubehör > Displayschutz,transparent\n",
        encoding="utf-8",
    )
    result = catalog(
        "import", str(csv_file), "--key", keys.editor, "--url", api_url(settings, "write_api")
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CSV-2" in result.stdout
    assert "title" in result.stdout
    stored = httpx.get(
        f"{api_url(settings, 'write_api')}/v1/products/CSV-1",
        headers={"Authorization": f"Bearer {keys.editor}"},
        timeout=30,
    ).json()
    assert stored["price"] == 9.99
    assert stored["categories"] == [["Handyzubehör", "Kabel"]]
    assert stored["attributes"] == {"color": "schwarz"}


def test_an_unreachable_database_ends_a_command_with_one_line_not_a_traceback() -> None:
    env = {**os.environ, "CATALOG_MONGO_URL": "mongodb://127.0.0.1:9/catalog"}  # nothing listens
    result = subprocess.run(
        [*CATALOG, "sync", "retry"], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 1
    assert "mongodb is unreachable or did not answer in time" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
