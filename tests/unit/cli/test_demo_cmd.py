"""`catalog demo generate --pictures`, and the name check of `catalog demo pictures`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from catalog.settings import Settings
from cli.main import app


def test_generate_writes_each_distinct_picture_once_named_by_its_sha256(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CATALOG_IMAGE_BASE_URL", "https://img.example/shop")
    # get_settings reads the environment once per process: this test's own settings
    monkeypatch.setattr("cli.demo_cmd.get_settings", Settings)
    output, pictures = tmp_path / "demo.ndjson", tmp_path / "pictures"
    args = ["demo", "generate", "--count", "200", "--seed", "3", "-o", str(output)]
    result = CliRunner().invoke(app, [*args, "--pictures", str(pictures)])
    assert result.exit_code == 0, result.output
    files = {p.stem: p.read_bytes() for p in pictures.glob("*.png")}
    assert all(hashlib.sha256(data).hexdigest() == name for name, data in files.items())
    named = {
        orjson.loads(line)["product"]["images"][0]["id"]
        for line in output.read_bytes().splitlines()
    }
    assert named == set(files)
    first = orjson.loads(output.read_bytes().splitlines()[0])["product"]["images"][0]
    assert first["url"] == f"https://img.example/shop/originals/{first['id']}"


def test_pictures_refuses_a_file_not_named_by_its_content(tmp_path: Path) -> None:
    (tmp_path / f"{'0' * 64}.png").write_bytes(b"not these bytes")
    result = CliRunner().invoke(app, ["demo", "pictures", str(tmp_path)])
    assert result.exit_code == 2
    assert "not named by their sha256" in result.output
