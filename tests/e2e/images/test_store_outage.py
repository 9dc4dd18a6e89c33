"""The object store really stopped: uploads 503 with Retry-After, everything else unaffected."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from catalog.settings import Settings
from tests.e2e.write_api.conftest import product
from tests.pictures import png
from tests.stack import stopped

PNG = {"Content-Type": "image/png"}


@pytest.fixture
def seaweedfs_stopped() -> Iterator[None]:
    """The test stack's SeaweedFS stopped for the test, started again afterwards."""
    with stopped("seaweedfs"):
        yield


def test_store_down_is_503_for_uploads_only(
    write_api: httpx.Client,
    read_api: httpx.Client,
    product_id: str,
    settings: Settings,
    seaweedfs_stopped: None,
) -> None:
    upload = write_api.post(
        f"/v1/products/{product_id}/images", content=png(color="teal"), headers=PNG
    )
    assert upload.status_code == 503, upload.text
    assert upload.headers["retry-after"] == str(settings.retry_after_s)
    assert upload.json()["dependency"] == "object_store"
    assert write_api.get(f"/v1/products/{product_id}").json().get("images", []) == []
    # product writes without images, reads and searches go on
    changed = write_api.put(f"/v1/products/{product_id}", json=product(product_id, stock=3))
    assert changed.status_code == 200, changed.text
    assert write_api.get("/readyz").status_code == 200
    assert read_api.get("/v1/search", params={"q": "hülle"}).status_code == 200
    served = read_api.get("/images/originals/" + "0" * 64)
    assert served.status_code == 503
    assert served.headers["retry-after"] == str(settings.retry_after_s)


def test_uploads_work_again_once_the_store_is_back(
    write_api: httpx.Client, product_id: str
) -> None:
    with stopped("seaweedfs"):
        down = write_api.post(f"/v1/products/{product_id}/images", content=png(), headers=PNG)
        assert down.status_code == 503
    back = write_api.post(f"/v1/products/{product_id}/images", content=png(), headers=PNG)
    assert back.status_code == 201, back.text
