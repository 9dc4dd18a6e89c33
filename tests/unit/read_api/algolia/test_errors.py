"""Native error answers reshaped for Algolia paths: `{"message", "status"}`, headers kept."""

from __future__ import annotations

import orjson
from starlette.responses import JSONResponse

from read_api.algolia.errors import reshaped


def test_a_503_keeps_its_status_and_retry_after() -> None:
    native = JSONResponse(
        {"detail": "elasticsearch is unavailable, retry later", "dependency": "elasticsearch"},
        503,
        headers={"Retry-After": "3"},
    )
    answer = reshaped(native)
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "3"
    assert orjson.loads(answer.body) == {
        "message": "elasticsearch is unavailable, retry later",
        "status": 503,
    }


def test_validation_details_become_a_400_message() -> None:
    native = JSONResponse({"detail": [{"loc": ["path", "x"], "msg": "too long"}]}, 422)
    answer = reshaped(native)
    assert answer.status_code == 400
    assert orjson.loads(answer.body) == {"message": "too long", "status": 400}


def test_a_bare_404_and_a_success_pass() -> None:
    assert orjson.loads(reshaped(JSONResponse({}, 404)).body) == {
        "message": "Not Found",
        "status": 404,
    }
    ok = JSONResponse({"hits": []})
    assert reshaped(ok) is ok
