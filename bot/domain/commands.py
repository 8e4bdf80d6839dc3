"""`/stretch` subcommands: the parser and the help text, from one table.

Each `Subcommand` is both how the parser recognises a word and how `/stretch help` describes it,
so the two can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.i18n import N_, _

MAX_TEXT_LENGTH = 200


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str  # English, marked for translation: shown as `_(summary)`
    takes_argument: bool = False


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        "", "/stretch", N_("an exercise for right now, suited to where you work and to your body")
    ),
    Subcommand(
        "search",
        "/stretch <words>",
        N_(
            "find an exercise by name, muscle or body area "
            "(e.g. `hamstring`, `lower back`, `shoulders`)"
        ),
        takes_argument=True,
    ),
    Subcommand(
        "list",
        "/stretch list",
        N_("the whole exercise library, office and home, marked with what fits you"),
    ),
    Subcommand(
        "library",
        "/stretch library [add | export | import]",
        N_(
            "your team's library: add, edit, hide or delete exercises, export or import them as "
            "YAML; admins: `library everyone on|off` lets everyone add"
        ),
        takes_argument=True,
    ),
    Subcommand("on", "/stretch on", N_("turn on reminders in your work hours, in your time zone")),
    Subcommand("off", "/stretch off", N_("turn reminders off")),
    Subcommand(
        "settings",
        "/stretch settings",
        N_(
            "work hours per weekday, how often, office or home, lunch break, time zone, what suits "
            "your body (seated only, wheelchair, no wrist or knee load), what you hid"
        ),
    ),
    Subcommand(
        "hours",
        "/stretch hours [days hours …]",
        N_(
            "your work hours per weekday, e.g. `/stretch hours mon-thu 9-12:30,13:30-17 fri 9-13` "
            "(days left out are off, `22-6` runs past midnight); alone it shows your week"
        ),
        takes_argument=True,
    ),
    Subcommand(
        "pause",
        "/stretch pause <how long>",
        N_(
            "no reminders for a while: `30m`, `2h`, `today`, `3d`, `until friday`, "
            "`until 2026-12-01`"
        ),
        takes_argument=True,
    ),
    Subcommand("resume", "/stretch resume", N_("end a pause now")),
    Subcommand(
        "away",
        "/stretch away <dates>",
        N_(
            "time off ahead, no reminders then: `24 dec - 2 jan`, `tomorrow`, `fri`; "
            "`away list`, `away cancel N`"
        ),
        takes_argument=True,
    ),
    Subcommand(
        "challenge",
        "/stretch challenge start [N days] [at HH:MM]",
        N_(
            "in a channel: a daily exercise for everyone for N work days (default 5, at "
            "11:00), with a leaderboard; `challenge status`, `challenge end`"
        ),
        takes_argument=True,
    ),
    Subcommand(
        "did",
        "/stretch did <what>",
        N_(
            "a break you took without me (`did a walk`, `did the stairs`): it counts like a Done, "
            "marked as self-reported"
        ),
        takes_argument=True,
    ),
    Subcommand(
        "together",
        "/stretch together [now | in N]",
        N_(
            "in a channel: a group stretch in 2 minutes (or now, or in N minutes, 1–60) that "
            "everyone can join with *I'm in*; also `@Stretch Break stretch`"
        ),
        takes_argument=True,
    ),
    Subcommand(
        "language",
        "/stretch language [de | es | fr | pt-br | ja | en | auto]",
        N_(
            "the language I speak to you in; alone it lists them, `auto` follows your Slack "
            "language"
        ),
        takes_argument=True,
    ),
    Subcommand("stats", "/stretch stats", N_("your progress: today, week, month, streaks, charts")),
    Subcommand(
        "forget",
        "/stretch forget me",
        N_("delete everything Stretch Break stores about you"),
        takes_argument=True,
    ),
    Subcommand(
        "admin",
        "/stretch admin [team | holidays <CC> [region]]",
        N_(
            "for workspace admins: defaults for new people, public holidays, challenge channels "
            "and the daily cap; `admin team` shows the team's totals; `admin holidays DE BY` "
            "(or `off`) sets the holidays directly"
        ),
        takes_argument=True,
    ),
    Subcommand("help", "/stretch help", N_("this message")),
)

_BY_NAME = {sub.name: sub for sub in SUBCOMMANDS if sub.name not in ("", "search")}
_HAS_WORDS = re.compile(r"\w")


@dataclass(frozen=True)
class ParsedCommand:
    """What the person asked for: a subcommand name and its argument, or an `error` to show."""

    name: str
    argument: str = ""
    error: str | None = None


def parse(text: str) -> ParsedCommand:
    words = " ".join(text.split())
    if not words:
        return ParsedCommand("")
    if len(words) > MAX_TEXT_LENGTH:
        return ParsedCommand(
            "help",
            error=_(
                "That's a long one — please keep it under {limit} characters.",
                limit=MAX_TEXT_LENGTH,
            ),
        )
    if not _HAS_WORDS.search(words):
        return ParsedCommand(
            "help", error=_("I couldn't read “{words}” as a command.", words=words)
        )
    head, _space, rest = words.partition(" ")
    subcommand = _BY_NAME.get(head.lower())
    if subcommand is None:
        return ParsedCommand("search", argument=words)
    if rest and not subcommand.takes_argument:
        return ParsedCommand(
            "help", error=_("`{usage}` takes nothing after it.", usage=subcommand.usage)
        )
    return ParsedCommand(subcommand.name, argument=rest)
