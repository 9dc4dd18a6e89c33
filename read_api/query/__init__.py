"""The search core: the query model and pure translations to and from Elasticsearch."""
