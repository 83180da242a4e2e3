"""Scope: what counts as digital consumption (the catalogue, GB/T 4754, code tables, regions)."""
