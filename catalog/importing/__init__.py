"""Bringing product files into the catalog: converting CSV rows to bulk lines."""
