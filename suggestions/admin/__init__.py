"""The staff desks in the admin, one module per part: importing them registers them."""

from . import departments, handling, opinions, suggestions

__all__ = ["departments", "handling", "opinions", "suggestions"]
