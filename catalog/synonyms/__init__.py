"""Synonym sets: the model editors send, and how they are stored."""
