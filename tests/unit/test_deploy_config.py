"""compose.yaml and the local stack run one nginx template, and compose exposes only nginx."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from catalog.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\$\{(NGINX_[A-Z0-9_]+)\}")


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _placeholders() -> set[str]:
    return set(PLACEHOLDER.findall((ROOT / "deploy" / "nginx.conf").read_text()))


def test_compose_fills_in_every_placeholder_of_the_template() -> None:
    nginx = _compose()["services"]["nginx"]
    environment = nginx["environment"]
    assert _placeholders() <= set(environment)
    assert "./deploy/nginx.conf:/etc/nginx/templates/nginx.conf.template:ro" in nginx["volumes"]


def test_the_local_stack_fills_in_every_placeholder_of_the_template() -> None:
    script = (ROOT / "devstack" / "lib" / "nginx.sh").read_text()
    assert _placeholders() <= set(re.findall(r"\b(NGINX_[A-Z0-9_]+)=", script))


def test_compose_body_limits_are_the_write_api_defaults() -> None:
    environment = _compose()["services"]["nginx"]["environment"]
    fields = Settings.model_fields
    assert int(environment["NGINX_WRITE_MAX_BODY"]) == fields["max_body_bytes"].default
    assert int(environment["NGINX_BULK_MAX_BODY"]) == fields["bulk_max_bytes"].default


def test_only_nginx_is_published_and_only_on_loopback() -> None:
    services = _compose()["services"]
    published = {name: s["ports"] for name, s in services.items() if s.get("ports")}
    assert set(published) == {"nginx"}
    assert all(port.startswith("127.0.0.1:") for port in published["nginx"])


def test_the_apps_connect_to_redis_and_mongodb_with_credentials() -> None:
    compose = _compose()
    environment = compose["x-app"]["environment"]
    assert environment["CATALOG_REDIS_URL"].startswith("redis://:${REDIS_PASSWORD:?")
    assert re.match(
        r"mongodb://\$\{MONGO_ROOT_USERNAME.*\}:\$\{MONGO_ROOT_PASSWORD:\?",
        environment["CATALOG_MONGO_URL"],
    )
    assert "--requirepass" in compose["services"]["redis"]["command"]
    mongo_env = compose["services"]["mongo"]["environment"]
    assert {"MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD"} <= set(mongo_env)
    assert environment["CATALOG_RATE_LIMIT_TRUSTED_PROXIES"] == "1"
