"""The product domain: the record, its validation and its storage form."""
