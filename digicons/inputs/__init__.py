"""Inputs: enterprise files as bureau systems export them, registered in DuckDB."""
