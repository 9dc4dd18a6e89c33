"""The read API's analytics: catalog aggregations, endpoint parameters and views, search logging.

The domain (events, search log, roll-up, search and click queries) is the
top-level `analytics` package; what stays here needs the read side's query
model or FastAPI.
"""
