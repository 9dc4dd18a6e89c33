"""Algolia search parameters in both shapes clients send, checked by one pydantic model.

A request carries its parameters as top-level JSON fields (current clients),
as a URL-encoded `params` string (InstantSearch with older clients; list
values JSON-encoded inside it), or both; the string wins where both name a
parameter. Parameters this host does not use are accepted and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode

import orjson
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from read_api.algolia.errors import AlgoliaError
from read_api.query.model import (
    MAX_FACET_VALUES,
    MAX_GROUP_HITS,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MAX_TAG_CHARS,
)

DEFAULT_HITS_PER_PAGE = 20
DEFAULT_VALUES_PER_FACET = 100
DEFAULT_FACET_HITS = 10
MAX_NAMES = 100
MAX_PARAMS_CHARS = 64_000
MAX_FILTER_CHARS = 16_000

Name = Annotated[str, StringConstraints(max_length=200)]
FilterText = Annotated[str, StringConstraints(max_length=MAX_FILTER_CHARS)]
# facetFilters / numericFilters: a string, or a list of strings and OR-lists of strings
FilterList = (
    FilterText | Annotated[list[FilterText | list[FilterText]], Field(max_length=MAX_NAMES)]
)
Tag = Annotated[str, StringConstraints(max_length=MAX_TAG_CHARS)]


def split_names(value: Any) -> Any:
    """A list parameter written as a string: JSON (`["a","b"]`) or comma-separated (`a,b`)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return _json(text)
        return [name.strip() for name in text.split(",") if name.strip()]
    return value


def _json_list(value: Any) -> Any:
    """A filter parameter: JSON when it is a JSON list, else the filter string as written."""
    if isinstance(value, str) and value.strip().startswith("["):
        return _json(value.strip())
    return value


def _json(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text  # left as written: the model says what is wrong with it


Names = Annotated[list[Name], BeforeValidator(split_names), Field(max_length=MAX_NAMES)]


def _distinct(value: Any) -> Any:
    """`distinct` as hits per group: `true` is 1, `false` is 0 (JSON or a `params` string)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return int(value.strip().lower() == "true")
    return value


Distinct = Annotated[int, BeforeValidator(_distinct), Field(ge=0, le=MAX_GROUP_HITS)]


class AlgoliaParams(BaseModel):
    """The search parameters this host uses; any other parameter is ignored."""

    model_config = ConfigDict(
        extra="ignore", alias_generator=to_camel, populate_by_name=False, frozen=True
    )

    query: Annotated[str, StringConstraints(max_length=MAX_QUERY_CHARS)] = ""
    page: Annotated[int, Field(ge=0)] = 0
    hits_per_page: Annotated[int, Field(ge=0, le=MAX_PAGE_SIZE)] = DEFAULT_HITS_PER_PAGE
    offset: Annotated[int, Field(ge=0)] | None = None
    length: Annotated[int, Field(ge=0, le=MAX_PAGE_SIZE)] | None = None
    facets: Names = []
    max_values_per_facet: Annotated[int, Field(ge=1, le=MAX_FACET_VALUES)] = (
        DEFAULT_VALUES_PER_FACET
    )
    sort_facet_values_by: Literal["count", "alpha"] = "count"
    facet_filters: Annotated[FilterList, BeforeValidator(_json_list)] | None = None
    numeric_filters: Annotated[FilterList, BeforeValidator(_json_list)] | None = None
    filters: FilterText = ""
    attributes_to_retrieve: Names | None = None
    attributes_to_highlight: Names | None = None
    highlight_pre_tag: Tag = "<em>"
    highlight_post_tag: Tag = "</em>"
    typo_tolerance: bool | Literal["min", "strict"] = True
    click_analytics: bool = False
    analytics: bool = True
    rule_contexts: Names = []
    query_languages: Names = []  # their stop words and synonym sets apply (none: all)
    enable_rules: bool = True
    get_ranking_info: bool = False
    distinct: Distinct = 0  # hits per variant group (group_id); 0: not grouped
    faceting_after_distinct: bool = False
    facet_query: Annotated[str, StringConstraints(max_length=100)] = ""
    max_facet_hits: Annotated[int, Field(ge=1, le=MAX_FACET_VALUES)] = DEFAULT_FACET_HITS


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def params_string(fields: Mapping[str, Any], text: str | None) -> str:
    """The parameters as one URL-encoded string, as Algolia echoes them in `params`."""
    encoded = urlencode([(name, _text(value)) for name, value in fields.items()])
    return "&".join(part for part in (encoded, text) if part)


def decode_params(text: str) -> dict[str, str]:
    """The parameters of a URL-encoded `params` string."""
    if len(text) > MAX_PARAMS_CHARS:
        raise AlgoliaError(400, f"params: longer than {MAX_PARAMS_CHARS} characters")
    try:
        return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=False))
    except ValueError as exc:
        raise AlgoliaError(400, f"params: {exc}") from None


def invalid(exc: ValidationError) -> AlgoliaError:
    """The 400 of a parameter that does not validate, naming it as the client wrote it."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return AlgoliaError(
        400, f"Invalid value for {where}: {first['msg']}" if where else first["msg"]
    )


def parse_params(fields: Mapping[str, Any]) -> AlgoliaParams:
    """The checked parameters of one set of fields; AlgoliaError (400) names a bad one."""
    try:
        return AlgoliaParams.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc) from None


def request_params(
    fields: Mapping[str, Any], reserved: frozenset[str] = frozenset()
) -> tuple[AlgoliaParams, str]:
    """The parameters of a request object (top-level fields and `params`), and their echo."""
    text = fields.get("params")
    top = {k: v for k, v in fields.items() if k != "params" and k not in reserved}
    if isinstance(text, Mapping):  # some clients nest the fields instead of encoding them
        top = {**top, **{k: v for k, v in text.items() if k not in reserved}}
        text = None
    if text is not None and not isinstance(text, str):
        raise AlgoliaError(400, "Invalid value for params: expected a URL-encoded string")
    merged = {**top, **decode_params(text or "")}
    return parse_params(merged), params_string(top, text)
