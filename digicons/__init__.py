"""digicons: measure digital consumption from enterprise data (Beijing white paper 2021 scope)."""

from digicons.errors import DigiconsError
from digicons.scope.catalogue import Catalogue, load_catalogue

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)

__all__ = ["Catalogue", "DigiconsError", "__version__", "load_catalogue"]
