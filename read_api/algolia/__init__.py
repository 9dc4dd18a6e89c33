"""The Algolia search protocol on the read API: InstantSearch and Algolia clients work unchanged."""
