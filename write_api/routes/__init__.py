"""HTTP routes of the write API: each translates a request into a command."""
