"""`python -m digicons`."""

from digicons.cli import entry

entry()
