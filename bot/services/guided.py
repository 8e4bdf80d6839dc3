"""Guided mode's use cases: read a walk-through click, move it on automatically, finish it.

Where the state lives. The walk-through itself — exercise, card, source, step — travels in its
buttons' values, checked on every click like any other value: a message then always shows the
step its buttons act on, and a walk-through needs no row to be shown again after a restart. What
cannot travel in a button is whether an automatic advance is still wanted: a click handled by one
process (or gunicorn worker) must cancel an advance pending in another. That one number lives in
the database — a walk's generation (`bot.db.guided`), bumped by each click and compare-and-set by
each automatic advance — so the advance that lost the race does nothing, wherever it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.db.completions import SOURCES
from bot.db.guided import advance_walk, end_walk, touch_walk
from bot.db.models import Challenge, ChallengeDay, GroupBreak, Person
from bot.db.nudges import own_nudge
from bot.db.people import find_person
from bot.db.team_library import WorkspaceLibraries
from bot.domain.cards import nudge_id_of
from bot.domain.challenges import DayDone, Outcome
from bot.domain.clock import Clock
from bot.domain.content import Exercise, Library
from bot.domain.group_breaks import GroupBreakOutcome
from bot.domain.guided import (
    GuideStep,
    WalkRef,
    challenge_day_card,
    challenge_day_of,
    group_break_of,
    guide_steps,
    read_walk,
)
from bot.domain.people import SlackProfile, SlackUser
from bot.domain.preferences import Preferences
from bot.services.challenges import ChallengeService
from bot.services.group_breaks import GroupBreakService
from bot.services.stretches import CompletionResult, StretchService
from bot.services.use_cases import UseCases


@dataclass(frozen=True)
class Walk:
    """A walk-through at one step, as of one generation of its row."""

    exercise: Exercise
    steps: tuple[GuideStep, ...]
    ref: WalkRef
    walk_id: int
    generation: int

    @property
    def step(self) -> GuideStep:
        return self.steps[self.ref.step]

    @property
    def is_last_step(self) -> bool:
        return self.ref.step + 1 == len(self.steps)


Finished = CompletionResult | DayDone | Outcome | GroupBreakOutcome


class GuideService(UseCases):
    def __init__(
        self,
        stretches: StretchService,
        challenges: ChallengeService,
        group_breaks: GroupBreakService,
        sessions: sessionmaker[Session],
        clock: Clock,
        libraries: WorkspaceLibraries,
        defaults: Preferences,
    ) -> None:
        """Done is the card's, the challenge post's or the group break's own use case, so it
        counts the same."""
        super().__init__(sessions, clock, libraries, defaults)
        self._stretches = stretches
        self._challenges = challenges
        self._group_breaks = group_breaks

    def click(
        self, who: SlackUser, channel_id: str, value: dict[str, Any], profile: SlackProfile
    ) -> Walk | None:
        """The walk-through a Guide me, Next or Back click (in ``channel_id``) asks for,
        superseding any advance pending for it; None for a value the app could not have written
        for this person (a malformed or forged one, someone else's nudge, a challenge of another
        channel)."""
        read = self._read(who, value)
        if read is None:
            return None
        ref, exercise, steps = read
        with self._sessions.begin() as session:
            person = self._owner(session, who, channel_id, ref, profile)
            if person is None:
                return None
            walk_id, generation = touch_walk(session, person, ref.card, self._clock.now())
        return Walk(exercise, steps, ref, walk_id, generation)

    def start_challenge_day(
        self, who: SlackUser, channel_id: str, day_id: int, profile: SlackProfile
    ) -> Walk | Outcome:
        """The clicker's own walk-through of a challenge day's exercise, clicked in
        ``channel_id``."""
        with self._sessions() as session:
            day = session.get(ChallengeDay, day_id)
            exercise_id = day.exercise_id if day else ""
        value = {"exercise": exercise_id, "card": challenge_day_card(day_id), "source": "challenge"}
        walk = self.click(who, channel_id, value, profile)
        return Outcome.DAY_NOT_OPEN if walk is None else walk

    def auto_advance(self, walk: Walk) -> Walk | None:
        """The next step, if nobody touched the walk since `walk` was shown (and there is one)."""
        if walk.is_last_step:
            return None
        with self._sessions.begin() as session:
            if not advance_walk(session, walk.walk_id, walk.generation, self._clock.now()):
                return None
        return replace(walk, ref=walk.ref.to(walk.ref.step + 1), generation=walk.generation + 1)

    def finish(
        self,
        who: SlackUser,
        channel_id: str,
        value: dict[str, Any],
        profile: SlackProfile,
        client: WebClient,
    ) -> Finished | None:
        """Done at the end: recorded exactly as the card's (or the challenge post's, or the
        group break's) Done, once however often it is clicked; a challenge day's or a group
        break's only in its own channel (``channel_id``, where the walk-through was clicked).
        None for a value the app could not have written."""
        read = self._read(who, value)
        if read is None:
            return None
        ref, exercise, _ = read
        day_id, group_break_id = challenge_day_of(ref.card), group_break_of(ref.card)
        finished: Finished | None
        if day_id is not None:
            finished = self._challenges.done(who, channel_id, day_id, profile)
        elif group_break_id is not None:
            finished = self._group_breaks.done(who, channel_id, group_break_id, profile, client)
        else:
            finished = self._stretches.complete(who, exercise, ref.card, ref.source, profile)
        if finished is not None:
            with self._sessions.begin() as session:
                person = find_person(session, who)
                if person is not None:
                    end_walk(session, person, ref.card)
        return finished

    def _read(
        self, who: SlackUser, value: dict[str, Any]
    ) -> tuple[WalkRef, Exercise, tuple[GuideStep, ...]] | None:
        ref = read_walk(value)
        exercise = self._library_of(who, ref.card).exercise(ref.exercise_id) if ref else None
        if ref is None or exercise is None or ref.source not in SOURCES:
            return None
        if (ref.source == "challenge") != (challenge_day_of(ref.card) is not None):
            return None
        if (ref.source == "together") != (group_break_of(ref.card) is not None):
            return None
        steps = guide_steps(exercise)
        return (ref, exercise, steps) if ref.step < len(steps) else None

    def _library_of(self, who: SlackUser, card: str) -> Library:
        """Where a walk-through's exercise comes from: a challenge day's from the library of the
        challenge's workspace (in a shared channel not necessarily the clicker's, see
        `ChallengeService.start`), a group break's likewise from its workspace's, any other
        card's from the clicker's workspace library."""
        day_id, group_break_id = challenge_day_of(card), group_break_of(card)
        if day_id is None and group_break_id is None:
            return self._libraries.of_user(who)
        with self._sessions() as session:
            if day_id is not None:
                day = session.get(ChallengeDay, day_id)
                shared = session.get(Challenge, day.challenge_id) if day else None
            else:
                shared = session.get(GroupBreak, group_break_id)
            if shared is None:  # refused by `_owner` anyway
                return self._libraries.of_user(who)
            return self._libraries.of_workspace(shared.workspace_id, session)

    def _owner(
        self,
        session: Session,
        who: SlackUser,
        channel_id: str,
        ref: WalkRef,
        profile: SlackProfile,
    ) -> Person | None:
        """The clicker, if the walk-through's card may be theirs: a nudge only its owner's, a
        challenge day or a group break only in its own channel (README: Challenges and Slack
        Connect), whose exercise it is."""
        if ref.source == "nudge":
            owned = own_nudge(session, who, nudge_id_of(ref.card) or 0)
            return owned[0] if owned else None
        if ref.source == "challenge":
            day_id = challenge_day_of(ref.card)
            day = session.get(ChallengeDay, day_id) if day_id else None
            challenge = session.get(Challenge, day.challenge_id) if day else None
            if challenge is None or challenge.channel_id != channel_id:
                return None
            if day is None or day.exercise_id != ref.exercise_id:
                return None
        if ref.source == "together":
            group_break = session.get(GroupBreak, group_break_of(ref.card) or 0)
            if group_break is None or group_break.channel_id != channel_id:
                return None
            if group_break.exercise_id != ref.exercise_id:
                return None
        return self._person(session, who, profile)
