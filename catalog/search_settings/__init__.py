"""The search settings editors manage: stop words and the default facet ordering."""
