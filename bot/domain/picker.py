"""Choosing which exercise to suggest: varied, and never the one just shown when avoidable."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(candidates: Sequence[T], rng: random.Random, avoid: Collection[T] = ()) -> T:
    """A random candidate not in `avoid`; if every candidate is avoided, any candidate."""
    if not candidates:
        raise ValueError("nothing to pick from")
    fresh = [candidate for candidate in candidates if candidate not in avoid]
    return rng.choice(fresh or list(candidates))
