"""getObject(s): records by objectID, from the same cached product answers as `/v1/products`."""

from __future__ import annotations

import re
from typing import Annotated, Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from catalog.products.model import ID_PATTERN
from read_api.algolia.params import Names, split_names
from read_api.algolia.records import Record, record_of, retrieved
from read_api.cache.store import Answer
from read_api.schemas import Hit

MAX_OBJECTS = 100
_ID = re.compile(ID_PATTERN)


def possible_id(object_id: str) -> bool:
    """Whether a product could have this id (others are 404 without a search)."""
    return _ID.fullmatch(object_id) is not None


class ObjectRequest(BaseModel):
    """One record asked for by `POST /1/indexes/*/objects`."""

    model_config = ConfigDict(extra="ignore")

    index_name: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        alias="indexName"
    )
    object_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        alias="objectID"
    )
    attributes_to_retrieve: Names | None = Field(None, alias="attributesToRetrieve")


class ObjectsRequest(BaseModel):
    """The body of `POST /1/indexes/*/objects`."""

    model_config = ConfigDict(extra="ignore")

    requests: Annotated[list[ObjectRequest], Field(max_length=MAX_OBJECTS)]


def object_answer(answer: Answer, attributes: Any) -> Record | None:
    """The record of a cached product answer (None: not found), with the attributes asked for."""
    if answer.status != 200:
        return None
    hit = Hit.model_validate(orjson.loads(answer.body))
    names = split_names(attributes) if isinstance(attributes, str) else attributes
    return retrieved(record_of(hit), names)
