"""The read cache: answers in Redis keyed by the normalised request and the cache generation."""
