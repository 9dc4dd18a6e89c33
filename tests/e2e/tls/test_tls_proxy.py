"""nginx in front of the APIs over HTTPS: trust, HTTP/2, HSTS, balancing, the real client."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import orjson

from tests.e2e.tls.conftest import CLIENT, TlsStack
from tests.stack import wait_for

FORGED = "203.0.113.9"  # TEST-NET-3: an address no request here comes from
HSTS = "strict-transport-security"
SYSTEM_CAS = Path("/etc/ssl/certs/ca-certificates.crt")  # Debian's bundle (ca-certificates)


def _headers(curl_head: str) -> dict[str, str]:
    lines = curl_head.strip().splitlines()[1:]
    pairs = (line.partition(":") for line in lines if ":" in line)
    return {name.strip().lower(): value.strip() for name, _, value in pairs}


def _access_lines(log: Path, request_id: str) -> list[dict[str, object]]:
    lines = [orjson.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [
        e
        for e in lines
        if e.get("logger") == "catalog.access" and e.get("request_id") == request_id
    ]


def _logged(log: Path, request_id: str) -> list[dict[str, object]]:
    """The access lines of a request, once its API has written them (it writes in batches)."""
    wait_for(lambda: bool(_access_lines(log, request_id)), 10, f"{request_id} in {log}")
    return _access_lines(log, request_id)


def test_both_apis_answer_over_tls_trusting_only_the_local_ca(tls_stack: TlsStack) -> None:
    for url in (tls_stack.read_url, tls_stack.write_url):
        answer = tls_stack.curl(f"{url}/readyz", "-f", "-o", "/dev/null", "-w", "%{http_code}")
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout == "200"
    # the system's authorities do not vouch for it: curl's 60, "peer certificate cannot be
    # authenticated with known CA certificates"
    untrusted = tls_stack.curl(f"{tls_stack.read_url}/readyz", ca=SYSTEM_CAS)
    assert untrusted.returncode == 60, untrusted.stderr


def test_http2_is_negotiated_and_hsts_is_sent(tls_stack: TlsStack) -> None:
    for url in (tls_stack.read_url, tls_stack.write_url):
        answer = tls_stack.curl(
            f"{url}/readyz", "--http2", "-D", "-", "-o", "/dev/null", "-w", "%{http_version}"
        )
        assert answer.returncode == 0, answer.stderr
        head, _, version = answer.stdout.rpartition("\n")
        assert version == "2"
        assert _headers(head)[HSTS].startswith("max-age=")


def test_json_answers_are_compressed(tls_stack: TlsStack) -> None:
    answer = tls_stack.curl(
        f"{tls_stack.read_url}/openapi.json",
        "-H",
        "Accept-Encoding: gzip",
        "-D",
        "-",
        "-o",
        "/dev/null",
    )
    assert answer.returncode == 0, answer.stderr
    assert _headers(answer.stdout).get("content-encoding") == "gzip"


def test_requests_are_spread_over_both_read_api_processes(tls_stack: TlsStack) -> None:
    ids = [f"tls-spread-{uuid.uuid4().hex[:12]}-{n}" for n in range(8)]
    for request_id in ids:
        answer = tls_stack.curl(
            f"{tls_stack.read_url}/healthz", "-f", "-H", f"X-Request-ID: {request_id}"
        )
        assert answer.returncode == 0, answer.stderr
    logs = [tls_stack.logs / f"{name}.log" for name in ("read_api", "read_api_2")]
    wait_for(
        lambda: all(any(_access_lines(log, r) for log in logs) for r in ids),
        10,
        "every request's access line",
    )
    served = {
        name: [r for r in ids if _access_lines(tls_stack.logs / f"{name}.log", r)]
        for name in ("read_api", "read_api_2")
    }
    assert served["read_api"], served
    assert served["read_api_2"], served
    assert sorted(served["read_api"] + served["read_api_2"]) == sorted(ids)


def test_a_forged_forwarded_for_is_logged_under_the_real_address(tls_stack: TlsStack) -> None:
    request_id = f"tls-forged-{uuid.uuid4().hex}"
    answer = tls_stack.curl(
        f"{tls_stack.write_url}/healthz",
        "-f",
        "-H",
        f"X-Forwarded-For: {FORGED}",
        "-H",
        f"X-Request-ID: {request_id}",
    )
    assert answer.returncode == 0, answer.stderr
    (entry,) = _logged(tls_stack.logs / "write_api.log", request_id)
    assert entry["client"] == CLIENT
    proxied = [
        orjson.loads(line)
        for line in (tls_stack.logs / "nginx-access.log").read_text().splitlines()
        if request_id in line
    ]
    assert [(e["remote_addr"], e["x_forwarded_for"]) for e in proxied] == [(CLIENT, FORGED)]


def test_rotating_forged_forwarded_for_values_do_not_reset_the_rate_limit(
    tls_stack: TlsStack,
) -> None:
    # a loopback address of this run alone, so its bucket is fresh (burst 20, test-tls.env)
    client = f"127.0.{random.randint(3, 254)}.{random.randint(1, 254)}"
    statuses = []
    for n in range(21):
        answer = tls_stack.curl(
            f"{tls_stack.read_url}/v1/search?q=case",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            f"X-Forwarded-For: 198.51.100.{n + 1}",
            client=client,
        )
        assert answer.returncode == 0, answer.stderr
        statuses.append(int(answer.stdout))
    assert 429 not in statuses[:20], statuses
    assert statuses[20] == 429, statuses
