"""Object keys and URLs of images."""

from __future__ import annotations

from catalog.images import keys

IMAGE_ID = "ab" * 32


def test_keys_are_content_addressed_and_parse_back() -> None:
    original = keys.original_key(IMAGE_ID)
    thumbnail = keys.thumbnail_key(IMAGE_ID, 320, "jpeg")
    assert original == f"originals/{IMAGE_ID}"
    assert thumbnail == f"thumbnails/{IMAGE_ID}/320.jpg"
    assert keys.image_id_of_key(original) == IMAGE_ID
    assert keys.image_id_of_key(thumbnail) == IMAGE_ID


def test_only_image_keys_are_served() -> None:
    for key in ("originals/abc", "../originals/" + IMAGE_ID, f"thumbnails/{IMAGE_ID}/0.webp"):
        assert not keys.is_image_key(key), key
    assert keys.is_image_key(keys.thumbnail_key(IMAGE_ID, 160, "webp"))


def test_urls_join_the_base_and_the_key() -> None:
    assert (
        keys.image_url("https://cdn.example/i/", "originals/x")
        == "https://cdn.example/i/originals/x"
    )
