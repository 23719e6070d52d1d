"""Units of measurement: each one's quantity and exact size, and how readers see its name."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

UNITS: Mapping[str, tuple[str, Decimal]] = MappingProxyType({
    unit: (dimension, Decimal(factor)) for dimension, table in {
        "mass": {"mg": "0.000001", "g": "0.001", "kg": "1", "t": "1000",
                 "oz": "0.028349523125", "lb": "0.45359237"},
        "length": {"mm": "0.001", "cm": "0.01", "m": "1", "km": "1000",
                   "in": "0.0254", "ft": "0.3048", "yd": "0.9144", "mi": "1609.344"},
        "volume": {"ml": "0.000001", "l": "0.001", "m3": "1", "gal": "0.003785411784"},
        "area": {"m2": "1", "km2": "1000000", "ha": "10000", "acre": "4046.8564224"},
    }.items() for unit, factor in table.items()
})
"""Each unit's quantity and its exact size in the SI unit of that quantity (kg, m, m3, m2)."""
BASE = MappingProxyType({"mass": "kg", "length": "m", "volume": "m3", "area": "m2"})
"""The SI unit of each quantity."""
_SYMBOLS = {"m2": "m²", "km2": "km²", "m3": "m³", "gal": "US gal", "acre": "ac"}


def symbol(unit: str) -> str:
    """Return the unit as readers see it (m² for m2)."""
    return _SYMBOLS.get(unit, unit)

