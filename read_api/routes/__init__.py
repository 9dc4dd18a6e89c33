"""HTTP routes of the read API."""
