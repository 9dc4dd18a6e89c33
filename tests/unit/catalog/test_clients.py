"""The Elasticsearch client knows every configured node and fails over between them."""

from __future__ import annotations

import socket

import pytest
from elasticsearch.exceptions import ConnectionError as EsConnectionError

from catalog.clients import close_elasticsearch, elasticsearch_client
from catalog.settings import Settings


@pytest.mark.parametrize(
    ("urls", "retries", "retry_on_timeout"),
    [
        ("http://127.0.0.1:9200", 1, False),
        ("http://127.0.0.1:9200,http://127.0.0.1:9201,http://127.0.0.1:9202", 2, True),
    ],
)
async def test_the_client_tries_each_node_at_most_once(
    monkeypatch: pytest.MonkeyPatch, urls: str, retries: int, retry_on_timeout: bool
) -> None:
    monkeypatch.setenv("CATALOG_ES_URL", urls)
    client = elasticsearch_client(Settings(_env_file=None))
    try:
        transport = client.transport
        hosts = [f"http://{h['host']}:{h['port']}" for h in transport.hosts]
        assert hosts == [url.strip() for url in urls.split(",")]
        assert transport.max_retries == retries
        assert transport.retry_on_timeout is retry_on_timeout
        assert set(transport.retry_on_status) == {502, 503, 504}
    finally:
        await close_elasticsearch(client)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_closing_also_closes_the_connections_of_nodes_marked_dead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    urls = [f"http://127.0.0.1:{_free_port()}" for _ in range(2)]
    monkeypatch.setenv("CATALOG_ES_URL", ",".join(urls))
    client = elasticsearch_client(Settings(_env_file=None))
    with pytest.raises(EsConnectionError):
        await client.info()  # refused by every node, after opening a session to each
    pool = client.transport.connection_pool
    connections = list(pool.orig_connections)
    pool.mark_dead(connections[0])  # as the transport does when a request to it fails
    await close_elasticsearch(client)
    assert all(connection.session.closed for connection in connections)
