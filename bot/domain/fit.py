"""What suits a person's body and place: the rules that rule content out, and the picker that
never offers what was ruled out.

A person states restrictions in Settings ("seated only", "I use a wheelchair", "avoid wrist
load"…) and hides single items with **Not for me**; those two alone decide what may be offered.
Among what remains the picker prefers what they did and liked (**More like this** counts as
liked) by weight, and still varies: a weighted random choice from an injected random source.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from bot.domain.content import Activity, Exercise, Library, Place, Suitability
from bot.domain.i18n import N_, _, ngettext
from bot.domain.picker import weighted_pick

Restriction = Literal[
    "seated_only", "no_floor_at_office", "wheelchair", "avoid_wrists", "avoid_knees"
]
RESTRICTIONS: tuple[Restriction, ...] = get_args(Restriction)
# Labels for the Settings checkboxes (English; translated with `_` where shown).
RESTRICTION_LABELS: dict[Restriction, str] = {
    "seated_only": N_("Seated only"),
    "no_floor_at_office": N_("No floor exercises at the office"),
    "wheelchair": N_("I use a wheelchair (seated, no standing or floor)"),
    "avoid_wrists": N_("Avoid wrist load"),
    "avoid_knees": N_("Avoid knee load"),
}
# The same, short, inside a sentence: "No exercise fits what you chose in Settings (…)".
_RESTRICTION_NAMES: dict[Restriction, str] = {
    "seated_only": N_("seated only"),
    "no_floor_at_office": N_("no floor at the office"),
    "wheelchair": N_("wheelchair"),
    "avoid_wrists": N_("avoid wrist load"),
    "avoid_knees": N_("avoid knee load"),
}

# How much more likely than an untried item: done before, and liked (More like this).
DONE_WEIGHT = 1.0
LIKED_WEIGHT = 2.0


@dataclass(frozen=True)
class Taste:
    """What one person told the app about content: hidden (Not for me), liked (More like this),
    and what they have done before. Ids of exercises and tips alike."""

    hidden: frozenset[str] = field(default_factory=frozenset)
    liked: frozenset[str] = field(default_factory=frozenset)
    done: frozenset[str] = field(default_factory=frozenset)

    def weight(self, activity_id: str) -> float:
        return (
            1.0
            + DONE_WEIGHT * (activity_id in self.done)
            + LIKED_WEIGHT * (activity_id in self.liked)
        )


@dataclass(frozen=True)
class Fit:
    """Everything that decides what may be offered to one person: where they are, what they
    ruled out, and their taste."""

    place: Place
    restrictions: frozenset[Restriction] = frozenset()
    taste: Taste = Taste()


@dataclass(frozen=True)
class Choice:
    """What to offer, and — when it is a movement break because no exercise fits — why."""

    activity: Activity
    reason: str | None = None


def parse_restrictions(text: str) -> frozenset[Restriction]:
    """Restrictions as stored (``"seated_only,avoid_wrists"``); unknown names are dropped, so
    an older or newer row never fails to load."""
    return frozenset(r for r in RESTRICTIONS if r in text.split(","))


def format_restrictions(restrictions: Iterable[Restriction]) -> str:
    return ",".join(r for r in RESTRICTIONS if r in set(restrictions))


# How an item is done, inside "it is done … and you …"; the stored positions stay English.
_POSITION_TEXT = {
    "seated": N_("seated"),
    "standing": N_("standing up"),
    "floor": N_("on the floor"),
}


# The content's tag vocabularies (position, space, equipment, loads) as a person reads them. The
# values stay English where stored and compared; only their display goes through `tag_label`.
_TAG_LABELS = {
    "seated": N_("seated"),
    "standing": N_("standing"),
    "floor": N_("floor"),
    "seat": N_("seat"),
    "standing room": N_("standing room"),
    "floor space": N_("floor space"),
    "a short walk": N_("a short walk"),
    "chair": N_("chair"),
    "mat": N_("mat"),
    "wrists": N_("wrists"),
    "knees": N_("knees"),
    "shoulders": N_("shoulders"),
    "neck": N_("neck"),
    "lower back": N_("lower back"),
}


def tag_label(value: str) -> str:
    """A tag value (``"floor"``, ``"mat"``, ``"lower back"``) in the language being spoken."""
    return _(_TAG_LABELS[value]) if value in _TAG_LABELS else value


def ruled_out_because(
    item: Suitability, restrictions: Collection[Restriction], place: Place
) -> str | None:
    """Why ``item`` does not suit someone with ``restrictions`` at ``place``, or None if it does."""
    if "wheelchair" in restrictions and item.position != "seated":
        return _("it is done {position} and you use a wheelchair", position=_position(item))
    if "seated_only" in restrictions and item.position != "seated":
        return _("it is done {position} and you chose seated only", position=_position(item))
    if "no_floor_at_office" in restrictions and place == "office" and item.position == "floor":
        return _(
            "it is done {position} and you chose no floor exercises at the office",
            position=_position(item),
        )
    if "avoid_wrists" in restrictions and "wrists" in item.loads:
        return _("it loads the wrists and you chose to avoid wrist load")
    if "avoid_knees" in restrictions and "knees" in item.loads:
        return _("it loads the knees and you chose to avoid knee load")
    return None


def _position(item: Suitability) -> str:
    return _(_POSITION_TEXT[item.position])


def why_not(activity: Activity, fit: Fit) -> str | None:
    """Why ``activity`` is not offered to this person: ruled out, hidden, or None if it fits."""
    if activity.id in fit.taste.hidden:
        return _("you hid it with Not for me")
    return ruled_out_because(activity, fit.restrictions, fit.place)


def fits(activity: Activity, fit: Fit) -> bool:
    return why_not(activity, fit) is None


def choose(
    library: Library, fit: Fit, rng: random.Random, avoid: Collection[str] = ()
) -> Choice | None:
    """An exercise that fits, preferably for the person's place (one for anywhere else when none
    there fits); else a fitting movement break with the reason; None when nothing fits at all.
    ``avoid``: ids not to repeat when there is a choice (the one just shown, the last few)."""
    fitting = [e for e in library.exercises if fits(e, fit)]
    exercises = [e for e in fitting if e.place == fit.place] or fitting
    if exercises:
        return Choice(_pick(exercises, fit.taste, rng, avoid))
    breaks = fitting_breaks(library, fit)
    if breaks:
        return Choice(_pick(breaks, fit.taste, rng, avoid), no_exercise_fits_reason(fit))
    return None


def break_reason(library: Library, activity: Activity, fit: Fit) -> str | None:
    """Why ``activity`` comes instead of an exercise: when it is a movement break and no
    exercise fits (else None — movement breaks also come now and then anyway)."""
    if isinstance(activity, Exercise) or any(fits(e, fit) for e in library.exercises):
        return None
    return no_exercise_fits_reason(fit)


def fitting_breaks(library: Library, fit: Fit) -> list[Activity]:
    return [t for t in library.movement_breaks if fits(t, fit)]


def more_like(library: Library, current: Activity, fit: Fit, rng: random.Random) -> Choice | None:
    """Another fitting activity like ``current``: an exercise sharing body areas or muscles
    (the more shared, the likelier; one for the person's place if there is one), another
    movement break for a movement break; else whatever `choose` offers."""
    if isinstance(current, Exercise):
        alike = [
            e
            for e in library.exercises
            if e.id != current.id and fits(e, fit) and _shared(e, current)
        ]
        alike = [e for e in alike if e.place == fit.place] or alike
        if alike:
            weights = [fit.taste.weight(e.id) * _shared(e, current) for e in alike]
            return Choice(weighted_pick(alike, weights, rng))
    else:
        breaks = [t for t in fitting_breaks(library, fit) if t.id != current.id]
        if breaks:
            return Choice(_pick(breaks, fit.taste, rng))
    return choose(library, fit, rng, avoid=[current.id])


def no_exercise_fits_reason(fit: Fit) -> str:
    """Why a movement break comes instead of an exercise, naming what the person chose."""
    chosen = [_(_RESTRICTION_NAMES[r]) for r in RESTRICTIONS if r in fit.restrictions]
    if fit.taste.hidden:
        chosen.append(
            ngettext(
                "one hidden with Not for me", "{n} hidden with Not for me", len(fit.taste.hidden)
            )
        )
    said = "; ".join(chosen) or _("your settings")
    return _(
        "No exercise fits what you chose in Settings ({chosen}), "
        "so here is a movement break that does.",
        chosen=said,
    )


def _shared(a: Exercise, b: Exercise) -> int:
    return len(set(a.body_areas) & set(b.body_areas)) + len(set(a.muscles) & set(b.muscles))


def _pick(
    candidates: Sequence[Activity], taste: Taste, rng: random.Random, avoid: Collection[str] = ()
) -> Activity:
    fresh = [c for c in candidates if c.id not in avoid] or list(candidates)
    return weighted_pick(fresh, [taste.weight(c.id) for c in fresh], rng)
