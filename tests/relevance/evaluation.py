"""One evaluation run: every judged query through the system and through the BM25 baseline.

Both sides search the same Elasticsearch in the same run, so a difference is
the ranking's, not the machine's or the day's. The judged set must be loaded
and searchable first (tests.relevance.chorus.load_chorus,
tests.relevance.demo.load_demo); this module only reads, apart from the
baseline's scratch index, which it creates and always deletes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from catalog.settings import Settings
from tests.bulk_load import editor_key
from tests.relevance.baseline import baseline_index, baseline_search, scratch_index
from tests.relevance.comparison import Evaluation, QueryResult
from tests.relevance.judged_set import JudgedSet
from tests.relevance.metrics import score
from tests.relevance.system_search import system_search

Progress = Callable[[str], None]  # called with each query once both sides have searched it


def evaluate(
    judged: JudgedSet,
    read_api: httpx.Client,
    es: httpx.Client,
    settings: Settings,
    on_query: Progress | None = None,
) -> Evaluation:
    """Score every query of the set for the system (the read API) and the baseline (es)."""
    started = time.perf_counter()
    index = baseline_index(settings.es_index_prefix, judged.name)
    results = []
    # an editor's key: only editors and admins may ask for uncached answers
    with (
        editor_key(settings, "relevance searches") as key,
        scratch_index(es, index, judged.documents),
    ):
        for query in judged.queries:
            ratings = judged.ratings[query]
            system = system_search(read_api, query, judged.dataset, key=key)
            baseline = baseline_search(es, index, query)
            results.append(
                QueryResult(query, score(query, system, ratings), score(query, baseline, ratings))
            )
            if on_query:
                on_query(query)
    return Evaluation(judged.name, tuple(results), time.perf_counter() - started)
