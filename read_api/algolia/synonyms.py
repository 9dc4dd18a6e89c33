"""The Algolia protocol's synonym reads: `synonyms/search` and `synonyms/{objectID}`.

Answered from the process's synonym book (read_api/synonyms: no I/O), so
they show the sets searches use right now. As Algolia keeps synonyms behind
its `settings` ACL, not a search-only key, they need a key that may write
(role editor or admin); editors change them on the write API (`/v1/synonyms`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from catalog.synonyms.model import SynonymFields, SynonymType
from read_api.algolia.errors import AlgoliaError
from read_api.algolia.routes import IndexPath
from read_api.algolia.settings_acl import read_params, require_settings_reader, settings_router
from read_api.synonyms.book import SynonymBook
from read_api.synonyms.index import SynonymIndex

router = settings_router()
MAX_HITS_PER_PAGE = 1000


class SynonymSearch(BaseModel):
    """Algolia's searchSynonyms parameters."""

    model_config = ConfigDict(extra="ignore")

    query: Annotated[str, Field(max_length=512)] = ""
    type: str = ""  # comma-separated types; empty: every type
    page: Annotated[int, Field(ge=0, le=1000)] = 0
    hitsPerPage: Annotated[int, Field(ge=1, le=MAX_HITS_PER_PAGE)] = 100


def _index(request: Request, index: str) -> SynonymIndex:
    require_settings_reader(request, index, "synonyms")
    book: SynonymBook | None = getattr(request.app.state, "synonyms", None)
    return book.index if book is not None else SynonymIndex.of([])


def synonym_record(set_id: str, fields: SynonymFields) -> dict[str, Any]:
    """A set as Algolia answers it."""
    dumped = fields.model_dump(mode="json", exclude_none=True)
    return {"objectID": set_id, **dumped}


def matches(fields: SynonymFields, text: str, types: set[SynonymType] | None) -> bool:
    """Whether a set is of the types asked for and names the text (case-folded) somewhere."""
    if types is not None and fields.type not in types:
        return False
    phrases = [*fields.synonyms, *([fields.input] if fields.input else [])]
    return not text or any(text in phrase.casefold() for phrase in phrases)


@router.post("/{index}/synonyms/search", summary="Search synonym sets")
async def search_synonyms(request: Request, index: IndexPath) -> JSONResponse:
    """The sets naming `query`, of the `type`s asked for, a page of them by objectID."""
    synonyms = _index(request, index)
    params = await read_params(request, SynonymSearch)
    names = {t.strip().casefold() for t in params.type.split(",") if t.strip()}
    unknown = names - {"synonym", "onewaysynonym"}
    if unknown:
        raise AlgoliaError(400, f"unsupported synonym type {sorted(unknown)[0]!r}")
    types: set[SynonymType] | None = None
    if names:
        types = {"synonym" if n == "synonym" else "oneWaySynonym" for n in names}
    text = params.query.casefold().strip()
    found = [
        synonym_record(set_id, fields)
        for set_id, fields in sorted(synonyms.sets.items())
        if matches(fields, text, types)
    ]
    start = params.page * params.hitsPerPage
    return JSONResponse({"hits": found[start : start + params.hitsPerPage], "nbHits": len(found)})


@router.get("/{index}/synonyms/{object_id}", summary="Get a synonym set")
async def get_synonym(
    request: Request, index: IndexPath, object_id: Annotated[str, Path(max_length=200)]
) -> JSONResponse:
    """One set by objectID; 404 when there is none."""
    fields = _index(request, index).sets.get(object_id)
    if fields is None:
        raise AlgoliaError(404, "Synonym set does not exist")
    return JSONResponse(synonym_record(object_id, fields))
