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


def weighted_pick(candidates: Sequence[T], weights: Sequence[float], rng: random.Random) -> T:
    """A candidate drawn with probability proportional to its weight (all weights > 0)."""
    if not candidates:
        raise ValueError("nothing to pick from")
    return rng.choices(candidates, weights=weights)[0]
