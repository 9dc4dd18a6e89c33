"""Query rules (merchandising): the model editors send, its storage, its text normalisation."""
