"""Query rules in the read API: the loaded rule set, matching per search, consequences."""
