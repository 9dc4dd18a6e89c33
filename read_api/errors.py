"""HTTP answers for bad queries and for an Elasticsearch that cannot answer them."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import elasticsearch.exceptions as es_errors
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from catalog.web.errors import unavailable
from read_api.cache.budget import Overloaded
from read_api.cache.metrics import CACHE_OVERLOADED
from read_api.query.cursor import InvalidCursor

log = logging.getLogger("read_api.errors")
Loc = Sequence[str | int]
# Elasticsearch statuses that mean "busy or recovering", not "bad request"
_UNAVAILABLE_STATUSES = {429, 502, 503, 504}


class InvalidQuery(Exception):
    """Input that passed the type checks but cannot be searched; answered 422 with its place."""

    def __init__(self, loc: Loc, msg: str) -> None:
        super().__init__(msg)
        self.loc = list(loc)
        self.msg = msg


def _invalid(loc: Loc, msg: str) -> JSONResponse:
    detail = [{"loc": list(loc), "msg": msg, "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=422)


def install_search_handlers(app: FastAPI, retry_after_s: int) -> None:
    """Query errors: 422; no read model, a busy cluster, no search slot: 503; refused: 400."""

    async def invalid_query(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidQuery)
        return _invalid(exc.loc, exc.msg)

    async def invalid_cursor(request: Request, exc: Exception) -> JSONResponse:
        where = "body" if request.method == "POST" else "query"
        return _invalid([where, "cursor"], str(exc))

    async def transport_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, es_errors.TransportError)
        status = exc.status_code if isinstance(exc.status_code, int) else 0
        reason = exc.error if isinstance(exc.error, str) else "error"
        # a missing alias: the read model is not built yet
        if status in _UNAVAILABLE_STATUSES or isinstance(exc, es_errors.NotFoundError):
            log.warning("elasticsearch cannot answer", extra={"status": status, "error": reason})
            return unavailable("elasticsearch", retry_after_s)
        log.warning("elasticsearch refused a query", extra={"status": status, "error": repr(exc)})
        return JSONResponse(
            {"detail": "the search could not be run", "reason": reason}, status_code=400
        )

    async def overloaded(request: Request, exc: Exception) -> JSONResponse:
        # the miss budget is spent: a fast refusal instead of a pile-up behind Elasticsearch
        CACHE_OVERLOADED.inc()
        return unavailable("search capacity", retry_after_s)

    app.add_exception_handler(InvalidQuery, invalid_query)
    app.add_exception_handler(Overloaded, overloaded)
    app.add_exception_handler(InvalidCursor, invalid_cursor)
    app.add_exception_handler(es_errors.TransportError, transport_error)
