"""Exit 0 when the stack's S3 API answers with its keys and the bucket exists (devstack readiness).

Creates the bucket on the first start; with the keys refused or the store not
answering, exits non-zero.
"""

import asyncio

from catalog.images.object_store import ObjectStore
from catalog.settings import Settings


async def main() -> None:
    async with ObjectStore(Settings()) as store:
        await store.ensure_bucket()


asyncio.run(main())
