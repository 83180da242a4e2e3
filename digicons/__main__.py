"""`python -m digicons`."""

from digicons.cli import main

main()
