"""The indexing tests write through the write API, like editors do."""

from tests.e2e.write_api.conftest import write_api

__all__ = ["write_api"]
