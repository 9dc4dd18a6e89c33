"""write_api."""
