"""The analytics domain and the workers import no HTTP app (parsed, never imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
APPS = frozenset({"read_api", "write_api"})
LAYERS = ("analytics", "workers")
IMPORTERS = frozenset({"import_module", "__import__"})  # importlib.import_module("read_api…")


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def imported_modules(source: str) -> Iterator[str]:
    """Every absolute module a source imports, statically or by a literal name."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                name in IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield first.value


def _modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def test_the_check_sees_every_way_of_importing_an_app() -> None:
    source = """
import read_api
import write_api.app as app
from read_api.query.model import Filter
from write_api import commands
import importlib
importlib.import_module("read_api.views")
from . import sibling
from catalog.clients import Clients
"""
    apps = [m for m in imported_modules(source) if _top(m) in APPS]
    assert sorted(apps) == [
        "read_api",
        "read_api.query.model",
        "read_api.views",
        "write_api",
        "write_api.app",
    ]


@pytest.mark.parametrize("layer", LAYERS)
def test_no_module_imports_an_http_app(layer: str) -> None:
    modules = _modules(layer)
    assert modules, f"no modules found under {layer}/"
    offending = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path.read_text(encoding="utf-8")) if _top(m) in APPS
        )
        for path in modules
    }
    assert {path: apps for path, apps in offending.items() if apps} == {}
