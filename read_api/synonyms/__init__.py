"""Synonym sets applied at query time: their index and the book that keeps it current."""
