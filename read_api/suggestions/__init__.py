"""Query suggestions: popular searches with hits, their index, and how they are searched."""
