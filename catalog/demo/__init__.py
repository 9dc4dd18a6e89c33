"""A deterministic demo catalog of phone accessories, for loading and trying out the system."""
