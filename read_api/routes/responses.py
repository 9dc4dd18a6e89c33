"""Error answers every read route documents."""

from __future__ import annotations

from typing import Any

READ_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Elasticsearch refused the query"},
    422: {"description": "bad input; `detail` lists each problem with its field path"},
    429: {"description": "this client's rate limit is used up; retry after Retry-After"},
    503: {"description": "Elasticsearch unreachable or not ready; retry after Retry-After"},
}
