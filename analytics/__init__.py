"""Search and click analytics, the domain: events, the search log, the roll-up, the queries.

Used by the read API (which logs searches and answers the analytics endpoints)
and by the workers (which roll the stream up into daily indices), as `indexer`
serves both sides. It imports neither app: never `read_api`, never `write_api`
(tests/unit/analytics/test_layering.py).
"""
