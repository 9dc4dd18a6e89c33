"""The demo's pictures into the test stack's real SeaweedFS: originals, thumbnails, only once."""

from __future__ import annotations

import uuid

from catalog.demo.picture_book import CONTENT_TYPE, PictureBook
from catalog.demo.picture_store import StoredPictures, store_pictures
from catalog.demo.pictures import PictureSpec
from catalog.images import thumbnails
from catalog.images.keys import original_key, thumbnail_key
from catalog.images.object_store import ObjectStore
from catalog.settings import Settings


def _book(settings: Settings) -> PictureBook:
    # a brand of its own: pictures no other test stores
    brand = f"Test {uuid.uuid4().hex[:8]}"
    book = PictureBook(str(settings.image_base_url))
    for kind, colour in (("CASE", "rot"), ("CBL", "weiß"), ("AUD", "schwarz")):
        book.image_id(PictureSpec(kind, "", colour, brand))
    return book


async def _delete(settings: Settings, book: PictureBook) -> None:
    async with ObjectStore(settings) as objects:
        for image_id in book.originals:
            async for key, _ in objects.list_keys(f"thumbnails/{image_id}/"):
                await objects.delete(key)
            await objects.delete(original_key(image_id))


async def test_pictures_are_stored_with_every_thumbnail_and_only_once(settings: Settings) -> None:
    book = _book(settings)
    planned = thumbnails.plan(800, 800)
    first = await store_pictures(settings, book.originals)
    assert first == StoredPictures(originals=3, thumbnails=3 * len(planned))
    async with ObjectStore(settings) as objects:
        for image_id, data in book.originals.items():
            original = await objects.head(original_key(image_id))
            assert original is not None
            assert (original.size, original.content_type) == (len(data), CONTENT_TYPE)
            for w, _, fmt in planned:
                thumb = await objects.head(thumbnail_key(image_id, w, fmt))
                assert thumb is not None
                assert thumb.content_type == thumbnails.CONTENT_TYPES[fmt]
        assert await store_pictures(settings, book.originals) == StoredPictures(0, 0)
        # what is missing is made again, and nothing else
        image_id = next(iter(book.originals))
        await objects.delete(thumbnail_key(image_id, 320, "webp"))
        assert await store_pictures(settings, book.originals) == StoredPictures(0, 1)
    await _delete(settings, book)


async def test_counts_add_up_when_many_pictures_are_stored_at_once(settings: Settings) -> None:
    book = PictureBook(str(settings.image_base_url))
    brand = f"Many {uuid.uuid4().hex[:8]}"
    for colour in ("rot", "blau", "grün", "grau", "rosa", "braun", "beige", "silber", "weiß"):
        for kind in ("CASE", "PWR"):
            book.image_id(PictureSpec(kind, "", colour, brand))
    stored = await store_pictures(settings, book.originals)
    assert stored == StoredPictures(originals=18, thumbnails=18 * 6)
    await _delete(settings, book)
