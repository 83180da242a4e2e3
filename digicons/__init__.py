"""digicons: measure digital consumption from enterprise data (Beijing white paper 2021 scope)."""

from importlib.metadata import PackageNotFoundError, version

from digicons.errors import DigiconsError
from digicons.scope.catalogue import Catalogue, load_catalogue

try:  # pyproject.toml holds the version; the installed metadata carries it here
    __version__ = version("digicons")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Catalogue", "DigiconsError", "__version__", "load_catalogue"]
