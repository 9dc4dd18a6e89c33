"""Image uploads on the running write API, stored in the test stack's real SeaweedFS,
served by the read API."""

from __future__ import annotations

import hashlib
import io
import uuid

import httpx
import pytest
from PIL import Image

from catalog.settings import Settings
from tests.e2e.conftest import Keys
from tests.e2e.edge.raw_http import claim_more_than_sent, endless_chunked
from tests.pictures import GPS_IFD, ORIENTATION, bomb_png, jpeg_with_exif, png, truncated

JPEG = {"Content-Type": "image/jpeg"}
PNG = {"Content-Type": "image/png"}


def _images(write_api: httpx.Client, product_id: str) -> list[dict[str, object]]:
    answer = write_api.get(f"/v1/products/{product_id}")
    assert answer.status_code == 200, answer.text
    images: list[dict[str, object]] = answer.json().get("images", [])
    return images


def test_a_raw_upload_is_stored_without_exif_and_served_immutable(
    write_api: httpx.Client, read_api: httpx.Client, product_id: str
) -> None:
    answer = write_api.post(
        f"/v1/products/{product_id}/images", content=jpeg_with_exif(300, 200), headers=JPEG
    )
    assert answer.status_code == 201, answer.text
    image = answer.json()
    assert (image["width"], image["height"]) == (200, 300)  # orientation applied
    assert image["content_type"] == "image/jpeg"
    assert image["version"] == 2
    assert answer.headers["etag"] == '"2"'
    assert image["thumbnails"] == []
    assert image["url"].endswith(f"/originals/{image['id']}")
    stored = _images(write_api, product_id)
    assert [entry["id"] for entry in stored] == [image["id"]]

    served = read_api.get(httpx.URL(image["url"]).path)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert hashlib.sha256(served.content).hexdigest() == image["id"]  # content-addressed
    assert len(served.content) == image["bytes"]
    with Image.open(io.BytesIO(served.content)) as picture:
        assert picture.size == (200, 300)
        assert ORIENTATION not in picture.getexif()
        assert GPS_IFD not in picture.getexif()
    again = read_api.get(
        httpx.URL(image["url"]).path, headers={"If-None-Match": served.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.headers["etag"] == served.headers["etag"]


def test_a_multipart_upload_with_alt_is_added_after_the_others(
    write_api: httpx.Client, product_id: str
) -> None:
    first = write_api.post(
        f"/v1/products/{product_id}/images", content=png(color="red"), headers=PNG
    )
    assert first.status_code == 201, first.text
    answer = write_api.post(
        f"/v1/products/{product_id}/images",
        files={"file": ("side.png", png(color="blue"), "image/png")},
        data={"alt": "Seitenansicht"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["alt"] == "Seitenansicht"
    # a version after the first upload's; the first image's thumbnails, when the
    # images worker was quicker than this upload, took one in between
    assert answer.json()["version"] in (first.json()["version"] + 1, first.json()["version"] + 2)
    stored = _images(write_api, product_id)
    assert [entry["id"] for entry in stored] == [first.json()["id"], answer.json()["id"]]
    assert stored[1]["alt"] == "Seitenansicht"


def test_the_same_bytes_are_one_object_and_one_entry(
    write_api: httpx.Client, product_id: str
) -> None:
    data = png(color="purple")
    first = write_api.post(f"/v1/products/{product_id}/images", content=data, headers=PNG)
    again = write_api.post(f"/v1/products/{product_id}/images", content=data, headers=PNG)
    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text  # already there: nothing changed
    assert again.json()["version"] == first.json()["version"]
    assert again.json()["url"] == first.json()["url"]
    assert len(_images(write_api, product_id)) == 1


def test_reorder_is_a_patch_and_delete_removes_one(
    write_api: httpx.Client, product_id: str
) -> None:
    ids = []
    for color in ("red", "green"):
        answer = write_api.post(
            f"/v1/products/{product_id}/images", content=png(color=color), headers=PNG
        )
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    stored = _images(write_api, product_id)
    external = {"url": "https://cdn.example/x.jpg", "alt": "extern"}
    patched = write_api.patch(
        f"/v1/products/{product_id}",
        json={"images": [stored[1], external, stored[0]]},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    assert [entry.get("id") for entry in patched.json()["images"]] == [ids[1], None, ids[0]]

    gone = write_api.delete(f"/v1/products/{product_id}/images/{ids[1]}")
    assert gone.status_code == 200, gone.text
    assert [entry.get("id") for entry in gone.json()["images"]] == [None, ids[0]]
    missing = write_api.delete(f"/v1/products/{product_id}/images/{ids[1]}")
    assert missing.status_code == 404


def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer(
    write_api: httpx.Client, product_id: str
) -> None:
    headers = {**PNG, "Idempotency-Key": uuid.uuid4().hex}
    data = png(color="orange")
    first = write_api.post(f"/v1/products/{product_id}/images", content=data, headers=headers)
    retry = write_api.post(f"/v1/products/{product_id}/images", content=data, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()
    other = write_api.post(
        f"/v1/products/{product_id}/images", content=png(color="gray"), headers=headers
    )
    assert other.status_code == 422  # the key was used for another upload
    assert other.json()["detail"][0]["loc"] == ["header", "idempotency-key"]
    version = write_api.get(f"/v1/products/{product_id}").json()["version"]
    assert version == first.json()["version"]


def test_a_stale_if_match_is_412_and_changes_nothing(
    write_api: httpx.Client, product_id: str
) -> None:
    answer = write_api.post(
        f"/v1/products/{product_id}/images",
        content=png(),
        headers={**PNG, "If-Match": '"7"'},
    )
    assert answer.status_code == 412, answer.text
    assert _images(write_api, product_id) == []
    fresh = write_api.post(
        f"/v1/products/{product_id}/images", content=png(), headers={**PNG, "If-Match": '"1"'}
    )
    assert fresh.status_code == 201, fresh.text


def test_an_unknown_product_is_404(write_api: httpx.Client) -> None:
    answer = write_api.post("/v1/products/NOPE-IMG-404/images", content=png(), headers=PNG)
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("data", "content_type", "status", "loc"),
    [
        (b"plain text", "text/plain", 415, ["header", "content-type"]),
        (b"not an image at all", "image/png", 422, ["body"]),
        (png(), "image/jpeg", 415, ["header", "content-type"]),
        (truncated(jpeg_with_exif(900, 600)), "image/jpeg", 422, ["body"]),
        (bomb_png(), "image/png", 422, ["body"]),
    ],
    ids=["not-an-image-type", "not-an-image", "type-mismatch", "corrupt", "decompression-bomb"],
)
def test_bad_input_is_refused_with_where(
    write_api: httpx.Client,
    product_id: str,
    data: bytes,
    content_type: str,
    status: int,
    loc: list[str],
) -> None:
    answer = write_api.post(
        f"/v1/products/{product_id}/images", content=data, headers={"Content-Type": content_type}
    )
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"][0]["loc"] == loc
    assert _images(write_api, product_id) == []


def test_a_multipart_body_without_a_file_is_422(write_api: httpx.Client, product_id: str) -> None:
    answer = write_api.post(
        f"/v1/products/{product_id}/images",
        files={"picture": ("a.png", png(), "image/png")},  # not named `file`
        data={"alt": "nichts"},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "file"]


def test_a_multipart_body_with_too_many_parts_is_422(
    write_api: httpx.Client, product_id: str
) -> None:
    answer = write_api.post(
        f"/v1/products/{product_id}/images",
        files={"file": ("a.png", png(), "image/png")},
        data={f"extra{n}": "x" for n in range(8)},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body"]


def test_more_than_the_image_limit_is_422(
    write_api: httpx.Client, product_id: str, settings: Settings
) -> None:
    full = [{"url": f"https://cdn.example/{n}.jpg"} for n in range(settings.image_max_per_product)]
    patched = write_api.patch(
        f"/v1/products/{product_id}",
        json={"images": full},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    answer = write_api.post(f"/v1/products/{product_id}/images", content=png(), headers=PNG)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "images"]


def test_a_declared_body_over_the_limit_is_413_before_it_is_sent(
    settings: Settings, keys: Keys, product_id: str
) -> None:
    headers = {"Authorization": f"Bearer {keys.editor}", **JPEG}
    too_much = settings.image_max_bytes + 1024 * 1024
    answer = claim_more_than_sent(
        settings.write_api_port, "POST", f"/v1/products/{product_id}/images", too_much, headers
    )
    assert answer.status == 413, answer
    assert answer.sent < 100


def test_a_chunked_upload_is_cut_at_the_limit(
    settings: Settings, keys: Keys, product_id: str
) -> None:
    headers = {"Authorization": f"Bearer {keys.editor}", **JPEG}
    endless = 4 * settings.image_max_bytes
    answer = endless_chunked(
        settings.write_api_port, "POST", f"/v1/products/{product_id}/images", endless, headers
    )
    assert answer.status == 413, answer
    assert answer.sent < endless


def test_a_product_write_keeps_external_images_as_they_are(
    write_api: httpx.Client, product_id: str
) -> None:
    external = [{"url": "https://cdn.example/a.jpg", "alt": "A"}]
    answer = write_api.patch(
        f"/v1/products/{product_id}",
        json={"images": external},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["images"] == external
