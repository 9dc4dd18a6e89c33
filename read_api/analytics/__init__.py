"""Analytics: catalog aggregations over the read model, and search logging with its roll-up."""
