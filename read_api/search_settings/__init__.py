"""The search settings a read API process searches with (loaded, kept current)."""
