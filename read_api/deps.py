"""Request dependencies of the read API, built from the process's clients."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from pydantic import StringConstraints

from analytics.suggestions_index import suggestions_alias
from catalog.languages import known_languages
from catalog.web.deps import ClientsDep
from indexer.index_definition import alias_name
from read_api.access import AccessDep
from read_api.query.model import SearchQuery
from read_api.rules.applying import with_rules
from read_api.rules.book import RuleBook, utc_now
from read_api.search_settings.applying import with_settings
from read_api.search_settings.book import SettingsBook
from read_api.synonyms.book import SynonymBook
from read_api.views import ReadModel

NATIVE_INDEX = "products"


async def native_index_allowed(access: AccessDep) -> None:
    """403 for a secured key whose `restrictIndices` leave out the native API's index."""
    if not access.allows_index(NATIVE_INDEX):
        raise HTTPException(403, f"the API key may not read the index {NATIVE_INDEX!r}")


# on every router of the native API (the Algolia routes check the index names they are given)
NATIVE_INDEX_CHECK = Depends(native_index_allowed)


async def get_read_model(clients: ClientsDep, access: AccessDep) -> ReadModel:
    """The products alias over this process's Elasticsearch client, as the caller may see it."""
    settings = clients.settings
    return ReadModel(
        clients.es,
        alias_name(settings.es_index_prefix),
        settings.search_timeout_s,
        suggestions=suggestions_alias(settings.es_index_prefix),
        restrict=access.clauses,
    )


ReadModelDep = Annotated[ReadModel, Depends(get_read_model)]


@dataclass(frozen=True, slots=True)
class Rules:
    """The process's query rules, search settings and synonym sets, applied to searches (no I/O)."""

    book: RuleBook | None
    synonyms: SynonymBook | None = None
    settings: SettingsBook | None = None

    def apply(
        self,
        query: SearchQuery,
        contexts: Sequence[str] = (),
        *,
        enabled: bool = True,
        languages: Sequence[str] = (),
    ) -> SearchQuery:
        """The query as the rules that fire change it, without its stop words, then with its
        synonym alternatives (and the settings' facet ordering where no rule gave one).
        Stop words and synonym sets are those of the query's `languages` (none: all)."""
        chosen = known_languages(languages)
        if enabled and self.book is not None:
            query = with_rules(query, self.book.index, contexts, utc_now())
        if self.settings is not None:
            query = with_settings(query, self.settings.index, chosen)
        if self.synonyms is not None and query.text.strip():
            alternatives = self.synonyms.index.alternatives(query.text, chosen)
            if alternatives:
                query = query.model_copy(update={"alternatives": alternatives})
        return query


async def get_rules(request: Request) -> Rules:
    """The rules, settings and synonyms of this process (none before its lifespan started them)."""
    state = request.app.state
    return Rules(
        getattr(state, "rules", None),
        getattr(state, "synonyms", None),
        getattr(state, "search_settings", None),
    )


RulesDep = Annotated[Rules, Depends(get_rules)]
QueryLanguages = Annotated[
    list[Annotated[str, StringConstraints(max_length=16)]],
    Query(
        alias="lang",
        max_length=4,
        description="the query's languages (`de`, `en`): their stop words and synonym sets "
        "apply; none given: every language's",
    ),
]
RuleContexts = Annotated[
    list[Annotated[str, StringConstraints(max_length=64)]],
    Query(max_length=10, description="contexts that rules may require (Algolia's ruleContexts)"),
]
