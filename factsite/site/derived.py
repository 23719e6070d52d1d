"""Values computed from parts of the project, kept from one render to the next while those parts are equal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Derived:
    """Computed values by name, each with the inputs it was computed from.

    The claim caches give an unchanged claim back as the very object read before, so comparing the
    inputs of a value that depends on one claim costs next to nothing. A value not asked for during
    a render (a claim removed) is dropped at its end.
    """

    entries: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def reuse(self, name: str, inputs: Any, compute: Callable[[], T]) -> T:
        """Return `compute()`, or the value it gave before if `inputs` equal the inputs given then."""
        self.used.add(name)
        hit = self.entries.get(name)
        if hit is not None and hit[0] == inputs:
            return hit[1]  # type: ignore[no-any-return]
        value = compute()
        self.entries[name] = (inputs, value)
        return value

    def drop_unused(self) -> None:
        """Forget the values this render did not ask for."""
        self.entries = {name: self.entries[name] for name in self.used if name in self.entries}
        self.used = set()
