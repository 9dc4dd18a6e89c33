"""Hypothesis strategies for the project's data."""
