"""Exit 0 when the MongoDB-protocol server at argv[1] answers a ping (devstack readiness)."""

import sys

from pymongo import MongoClient

client: MongoClient[dict[str, object]] = MongoClient(sys.argv[1], serverSelectionTimeoutMS=1000)
try:
    client.admin.command("ping")
finally:
    client.close()
