"""Integration tests of the read API against the real services of the test stack."""
