"""Command handlers of the write side: create, replace, patch, delete one product.

Each reads the current state, checks preconditions, plans one atomic write,
and hands it to the write pipeline (catalog.products.pipeline), which bulk batches
share: it executes the write, records the change and queues indexing. A write
that lost a race against another writer is re-planned on the new state (unless
the client made it conditional with If-Match, then the answer is 412).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from catalog.clock import now_ms
from catalog.products.merge_patch import merge_patch
from catalog.products.model import ProductFields
from catalog.products.mutations import Mutation, plan_delete, plan_upsert
from catalog.products.pipeline import WritePipeline
from catalog.products.storage import Document, is_live, public_from_storage
from catalog.products.store import ProductStore
from catalog.queue import TaskPublisher

MAX_ATTEMPTS = 5


class NotFound(Exception):
    """No live product with this id."""


class AlreadyExists(Exception):
    """A create found a live product with this id."""


class PreconditionFailed(Exception):
    """If-Match named a version the product does not have."""


class WriteConflict(Exception):
    """Other writers kept changing the product; the client should retry."""


class InvalidProduct(Exception):
    """The result of a patch is not a valid product."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid product")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What a command did and the document it left behind."""

    outcome: str
    version: int
    document: Document


def _check_precondition(current: Document | None, if_match: str | None) -> None:
    if if_match is None:
        return
    if not is_live(current):
        raise PreconditionFailed
    if if_match.strip() == "*":
        return
    assert current is not None
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
    if str(current["version"]) not in tags:
        raise PreconditionFailed


class ProductCommands:
    """The write side's use cases, over one store and one task publisher."""

    def __init__(self, store: ProductStore, publisher: TaskPublisher) -> None:
        self.store = store
        self.pipeline = WritePipeline(store, publisher)

    async def _write(self, mutation: Mutation) -> bool:
        """Write through the pipeline; False if another writer won."""
        if mutation.write is None:
            return True
        written = await self.pipeline.write([mutation])
        return mutation.product_id in written

    async def _attempt(
        self,
        product_id: str,
        if_match: str | None,
        plan: Callable[[Document | None], Mutation],
        *,
        must_exist: bool = False,
        create_only: bool = False,
    ) -> CommandResult:
        """Read, check, plan and write; re-plan when another writer won the race.

        The first attempt may start from the state this process wrote last
        (catalog.products.recent) instead of a read; only a write that takes
        effect trusts it, every other outcome is decided again on a read.
        """
        hint = self.store.hint(product_id)
        for _ in range(MAX_ATTEMPTS):
            current = hint if hint is not None else await self.store.get(product_id)
            try:
                mutation = self._plan(current, if_match, plan, must_exist, create_only)
            except (NotFound, AlreadyExists, PreconditionFailed, InvalidProduct):
                if hint is None:
                    raise
                self.store.drop_hint(product_id)
                hint = None
                continue
            if mutation.write is None and hint is not None:  # unchanged: only a read can tell
                self.store.drop_hint(product_id)
                hint = None
                continue
            if await self._write(mutation):
                await self.pipeline.publish([mutation], {product_id})
                if mutation.outcome == "unchanged" and current is not None:
                    return CommandResult("unchanged", mutation.version, current)
                # the state this write left, not a read after it: no round trip, and
                # never a racing writer's later version in this write's answer
                assert mutation.after is not None
                return CommandResult(mutation.outcome, mutation.version, mutation.after)
            if hint is not None:  # another process wrote since: read and plan again
                self.store.drop_hint(product_id)
                hint = None
                continue
            if if_match is not None:
                raise PreconditionFailed
        raise WriteConflict

    @staticmethod
    def _plan(
        current: Document | None,
        if_match: str | None,
        plan: Callable[[Document | None], Mutation],
        must_exist: bool,
        create_only: bool,
    ) -> Mutation:
        if must_exist and not is_live(current):
            raise NotFound
        if create_only and is_live(current):
            raise AlreadyExists
        _check_precondition(current, if_match)
        return plan(current)

    async def upsert(
        self,
        product_id: str,
        fields: ProductFields,
        *,
        actor: str,
        if_match: str | None,
        create_only: bool = False,
    ) -> CommandResult:
        """Create or replace a product (create_only: 409 when it exists)."""
        public = fields.model_dump(mode="json", exclude_none=True, exclude={"id"})

        def plan(current: Document | None) -> Mutation:
            op = "replace" if is_live(current) else "create"
            return plan_upsert(product_id, current, public, op=op, actor=actor, now=now_ms())

        return await self._attempt(product_id, if_match, plan, create_only=create_only)

    async def patch(
        self, product_id: str, patch: dict[str, Any], *, actor: str, if_match: str | None
    ) -> CommandResult:
        """Apply a JSON merge patch to a live product."""
        if "id" in patch and patch["id"] != product_id:
            raise InvalidProduct([_error(("id",), "the id cannot be changed", "value_error")])
        patch = {key: value for key, value in patch.items() if key != "id"}
        return await self.edit(
            product_id, lambda public: merge_patch(public, patch), actor=actor, if_match=if_match
        )

    async def edit(
        self,
        product_id: str,
        change: Callable[[dict[str, Any]], dict[str, Any]],
        *,
        actor: str,
        if_match: str | None,
        op: str = "patch",
    ) -> CommandResult:
        """Change a live product's public fields with `change`, re-run on the new state after
        a lost race; the result must be a valid product (else `InvalidProduct`)."""

        def plan(current: Document | None) -> Mutation:
            changed = change(public_from_storage(current or {}))
            try:
                fields = ProductFields.model_validate(changed)
            except ValidationError as exc:
                raise InvalidProduct([dict(e) for e in exc.errors(include_url=False)]) from exc
            public = fields.model_dump(mode="json", exclude_none=True)
            return plan_upsert(product_id, current, public, op=op, actor=actor, now=now_ms())

        return await self._attempt(product_id, if_match, plan, must_exist=True)

    async def check(self, product_id: str, if_match: str | None) -> None:
        """Fail early as a write would: `NotFound`, or `PreconditionFailed` for If-Match."""
        current = await self.store.get(product_id)
        if not is_live(current):
            raise NotFound
        _check_precondition(current, if_match)

    async def delete(self, product_id: str, *, actor: str, if_match: str | None) -> CommandResult:
        """Turn a live product into a tombstone."""

        def plan(current: Document | None) -> Mutation:
            assert current is not None  # must_exist
            return plan_delete(product_id, current, actor=actor, now=now_ms())

        return await self._attempt(product_id, if_match, plan, must_exist=True)


def _error(loc: tuple[str, ...], msg: str, kind: str) -> dict[str, Any]:
    return {"loc": loc, "msg": msg, "type": kind}
