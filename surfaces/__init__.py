"""2D loss surfaces with analytic gradients. NumPy only."""

from .formula import from_formula
from .library import SURFACES
from .surface import Surface


def get_surface(surface: str | Surface) -> Surface:
    """A surface object from a key of SURFACES (or the object itself)."""
    if isinstance(surface, Surface):
        return surface
    try:
        return SURFACES[surface]
    except (KeyError, TypeError):
        raise ValueError(f"unknown surface {surface!r}; choose one of: {', '.join(SURFACES)}") from None


__all__ = ["SURFACES", "Surface", "from_formula", "get_surface"]
