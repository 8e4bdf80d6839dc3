"""The tables. Every instant is UTC (`UTCDateTime`); every person belongs to one workspace."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db.types import UTCDateTime

# The nudges a tick may claim; also the condition of their partial index (see claiming.py).
OPEN_NUDGES = "status IN ('pending', 'sending')"
# Sent and not answered yet: planning marks them ignored (see planning.py); a partial index too.
UNANSWERED_NUDGES = "status = 'sent' AND outcome IS NULL"
# Weekdays 09:00-17:00, the hours a person had before they chose any.
DEFAULT_WORK_PATTERN = ";".join(["09:00-17:00"] * 5 + [""] * 2)
# Seven days of three windows "HH:MM-HH:MM" with their separators fit in 7 * 35 + 6.
WORK_PATTERN_LENGTH = 255
LANGUAGE_LENGTH = 8  # "pt_BR"
LOCALE_LENGTH = 16  # Slack's "es-ES"


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class Workspace(Base):
    """A Slack workspace (team), optionally inside an Enterprise Grid org."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    # "" rather than NULL outside Enterprise Grid, so the unique constraint holds on every database.
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime]
    # False after the app was uninstalled or Slack refused its token: no scheduled work then.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Whether people other than the workspace's admins may add exercises to its library.
    everyone_may_add_exercises: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    # Counts every change to the workspace's library, so each process knows when the library
    # it built for the workspace is out of date (see bot.db.team_library.WorkspaceLibraries).
    library_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The public holidays people get unless they chose their own (`/stretch admin holidays`).
    holiday_country: Mapped[str | None] = mapped_column(String(8))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(16))


class Person(Base):
    """Someone who has used the app, with their time zone and preferences."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    place: Mapped[str] = mapped_column(String(16), default="office")
    created_at: Mapped[datetime]
    # Slack's locale for them ("es-ES"), read with the time zone; None until Slack told us.
    slack_locale: Mapped[str | None] = mapped_column(String(LOCALE_LENGTH))
    # The language they chose (a key of bot.domain.i18n.LANGUAGES); None follows Slack's locale.
    language: Mapped[str | None] = mapped_column(String(LANGUAGE_LENGTH))

    # Reminder preferences (see bot.domain.preferences.Preferences); lunch times are minutes
    # after midnight.
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Each weekday's windows, Monday first, days split by ";" (see bot.db.people.stored_pattern).
    work_pattern: Mapped[str] = mapped_column(
        String(WORK_PATTERN_LENGTH),
        default=DEFAULT_WORK_PATTERN,
        server_default=DEFAULT_WORK_PATTERN,
    )
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    lunch_start: Mapped[int | None] = mapped_column(Integer)
    lunch_end: Mapped[int | None] = mapped_column(Integer)
    tz_override: Mapped[str | None] = mapped_column(String(64))
    weekly_summary: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # What suits their body and place ("seated_only,avoid_wrists"; see bot.domain.fit); "" = any.
    fit_restrictions: Mapped[str] = mapped_column(String(160), default="", server_default="")
    # Public holidays (see bot.domain.holidays): None follows the workspace default, "none" is
    # no holidays, else a country code and, where it matters, a subdivision.
    holiday_country: Mapped[str | None] = mapped_column(String(8))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(16))

    # Scheduling state. The database, not an in-memory job store, decides who is due.
    next_nudge_at: Mapped[datetime | None] = mapped_column(index=True)
    paused_until: Mapped[datetime | None]
    # Slack said account_inactive / user_not_found: no more nudges until they come back.
    deactivated_at: Mapped[datetime | None]
    # The local date on which reminders were halved after ignored nudges (said once per day).
    backoff_on: Mapped[str | None] = mapped_column(String(10))
    # The ISO week ("2026-W48") whose weekly summary was sent, so each week gets one.
    weekly_summary_sent_for: Mapped[str | None] = mapped_column(String(10))
    # When the next weekly summary is due (None while they are off), so the tick reads only the
    # people due rather than everyone opted in (see bot.domain.weekly_summaries).
    weekly_summary_due_at: Mapped[datetime | None] = mapped_column(index=True)

    # Availability, cached from events (dnd_updated_user, user_change) and refreshed by the tick.
    dnd_start: Mapped[datetime | None]
    dnd_end: Mapped[datetime | None]
    status_text: Mapped[str] = mapped_column(String(150), default="", server_default="")
    status_emoji: Mapped[str] = mapped_column(String(100), default="", server_default="")
    status_expiration: Mapped[datetime | None]
    in_huddle: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    availability_checked_at: Mapped[datetime | None]

    @property
    def zone_name(self) -> str:
        """The time zone nudges follow: a manual override, else the Slack profile's."""
        return self.tz_override or self.tz


class Completion(Base):
    """One exercise done. `dedupe_key` (`source:card:person`) makes a double click or a Slack
    retry count once, for each person."""

    __tablename__ = "completions"
    __table_args__ = (Index("ix_completions_person_time", "person_id", "completed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # command | nudge | challenge | self | together
    completed_at: Mapped[datetime]
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    # A self-reported break ("self", see bot.domain.self_reports): what the person said they did.
    what: Mapped[str | None] = mapped_column(String(100))


class ActivityFeedback(Base):
    """What one person said about one exercise or tip: Not for me (hidden) or More like this
    (liked). One row per person and activity, so a repeated click changes nothing."""

    __tablename__ = "activity_feedback"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    liked: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime]


class Pause(Base):
    """A pause as it was taken; paused days neither break nor extend a streak."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]  # moved earlier by /stretch resume


class TimeOff(Base):
    """Planned time off: local dates on the person's own calendar, first and last included.
    Unique per span, so a retried `/stretch away` or a double submit plans it once."""

    __tablename__ = "time_off"
    __table_args__ = (
        UniqueConstraint("person_id", "first_day", "last_day"),
        Index("ix_time_off_person_last_day", "person_id", "last_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)  # moved to yesterday when cancelled midway
    created_at: Mapped[datetime]


class Nudge(Base):
    """One reminder for one slot. Unique on (person, slot): planning twice creates it once.

    A nudge is claimed with a lease before it is sent, so that two instances never send it both,
    and one that crashed mid-send is picked up again when its lease runs out.
    """

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("person_id", "slot_at"),
        # Only open nudges are ever claimed: a partial index stays small whatever the history,
        # and leaves per-person queries to the (person_id, slot_at) index.
        Index(
            "ix_nudges_open_due",
            "due_at",
            sqlite_where=text("status IN ('pending', 'sending')"),
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
        Index(
            "ix_nudges_unanswered",
            "person_id",
            sqlite_where=text(UNANSWERED_NUDGES),
            postgresql_where=text(UNANSWERED_NUDGES),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    slot_at: Mapped[datetime]
    due_at: Mapped[datetime]  # when to try next: the slot, or later after a hold or a 429
    kind: Mapped[str] = mapped_column(String(16))  # scheduled | late | snooze
    exercise_id: Mapped[str | None] = mapped_column(String(64))  # an exercise …
    tip_id: Mapped[str | None] = mapped_column(String(64))  # … or a short movement break
    # pending → sending (claimed) → sent | dropped | failed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)  # why it was held, dropped or failed
    # The first nudge after reminders were halved for the day says so, once.
    backoff_notice: Mapped[bool] = mapped_column(Boolean, default=False)
    # done | snoozed | skipped | ignored, once the person acted (or did not)
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_at: Mapped[datetime | None]
    # A snooze's re-nudge points at the nudge it came from; unique so a double click snoozes once.
    snoozed_from: Mapped[int | None] = mapped_column(
        ForeignKey("nudges.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime]


class Challenge(Base):
    """A channel-wide challenge: one exercise a work day at a set local time, for N work days."""

    __tablename__ = "challenges"
    __table_args__ = (
        # One active challenge per channel, enforced by the database on both dialects.
        Index(
            "uq_challenges_active_channel",
            "workspace_id",
            "channel_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    started_by: Mapped[str] = mapped_column(String(32))  # Slack user id
    tz: Mapped[str] = mapped_column(String(64))  # the starter's zone: "11:00" means theirs
    # The starter's language when it started: its posts speak it (None: the workspace default).
    language: Mapped[str | None] = mapped_column(String(LANGUAGE_LENGTH))
    post_minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | ended
    announcement_ts: Mapped[str | None] = mapped_column(String(32))
    # The announcement's leaderboard is refreshed by the tick, at most every few seconds.
    leaderboard_dirty: Mapped[bool] = mapped_column(Boolean, default=False)
    leaderboard_updated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Claimable:
    """The columns of a row sent by the tick with a lease (`bot.db.leases`): when it is due, its
    status (pending → sending while claimed → the step's own end states), who holds it until
    when, and how many claims it has had."""

    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class ChallengeDay(Base):
    """One day's post of a challenge; claimed and posted by the tick like a nudge."""

    __tablename__ = "challenge_days"
    __table_args__ = (
        UniqueConstraint("challenge_id", "day_number"),
        Index("ix_challenge_days_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    day_number: Mapped[int] = mapped_column(Integer)  # 1-based
    local_date: Mapped[str] = mapped_column(String(10))  # ISO date in the challenge's zone
    due_at: Mapped[datetime]
    exercise_id: Mapped[str] = mapped_column(String(64))
    # pending | sending | posted | missed (the bot was down all that day)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[datetime | None]


class ChallengeResult(Claimable, Base):
    """The results post of an ended challenge. Written in the transaction that ends the challenge
    and then claimed and posted by the tick like a day, so that a crash between the two cannot
    lose the results, nor a retry post them twice (the post carries this row's id in metadata)."""

    __tablename__ = "challenge_results"
    __table_args__ = (Index("ix_challenge_results_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), unique=True
    )
    # pending | sending (claimed) | posted | failed (the bot cannot post in the channel)
    ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)  # why it was retried or failed
    created_at: Mapped[datetime]


class WeeklySummary(Claimable, Base):
    """One person's summary of one ISO week ("2026-W48"): unique, so a week is summarised at most
    once. Written when the summary falls due and then claimed and sent by the tick like a nudge,
    so that a crash between the two cannot skip the week, nor a retry send it twice (the DM
    carries this row's id in metadata)."""

    __tablename__ = "weekly_summaries"
    __table_args__ = (
        UniqueConstraint("person_id", "week"),
        Index("ix_weekly_summaries_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(10))
    # pending | sending (claimed) | sent | dropped | failed
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)  # why it was retried, dropped or failed
    # When it fell due: the summary compares the week as it was then, even if sent later.
    created_at: Mapped[datetime]


class ChallengeMember(Base):
    __tablename__ = "challenge_members"
    __table_args__ = (UniqueConstraint("challenge_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False after Leave
    joined_at: Mapped[datetime]


class ChallengeDone(Base):
    """A participant's Done on one day: unique, so double clicks and retries count once."""

    __tablename__ = "challenge_dones"
    __table_args__ = (UniqueConstraint("day_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    day_id: Mapped[int] = mapped_column(ForeignKey("challenge_days.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    done_at: Mapped[datetime]


class SendBudget(Base):
    """A workspace's send budget, shared by every instance: its next free slot (see
    `bot.domain.send_budget`). Keyed by the workspace id as the pacer names it."""

    __tablename__ = "send_budgets"

    workspace: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Microseconds since the Unix epoch (UTC): whole numbers keep the slots' arithmetic exact.
    next_free: Mapped[int] = mapped_column(BigInteger)


class WorkspaceDefaultsRow(Base):
    """What a workspace's admin chose (see `bot.domain.workspace_defaults`); no row means the
    environment's defaults. The default public holidays are on the `Workspace` row
    (`holiday_country`, `holiday_subdivision`), which `/stretch admin holidays` also sets."""

    __tablename__ = "workspace_defaults"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    work_pattern: Mapped[str] = mapped_column(String(WORK_PATTERN_LENGTH))  # as a Person's
    interval_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(16))
    daily_nudge_cap: Mapped[int] = mapped_column(Integer)
    # Comma-separated channel ids where challenges may run; "" for any channel.
    challenge_channels: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The language of people without one of their own and of channel posts (None: English).
    language: Mapped[str | None] = mapped_column(String(LANGUAGE_LENGTH))
    updated_by: Mapped[str] = mapped_column(String(32))  # the admin's Slack user id
    updated_at: Mapped[datetime]


class TeamExercise(Base):
    """One of a workspace's own exercises. `content` is the exercise as JSON in the format of
    ``content/exercises`` (validated by the same model); `author_user_id` is None once the author
    asked to be forgotten. `created_by_view` (the Slack modal it came from) makes a retried
    submission land once."""

    __tablename__ = "team_exercises"
    __table_args__ = (
        UniqueConstraint("workspace_id", "exercise_id"),
        UniqueConstraint("workspace_id", "created_by_view"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[str | None] = mapped_column(String(32))
    from_physio: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_view: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class HiddenSeedExercise(Base):
    """A seed exercise (from ``content/``) that a workspace's admin hid from its library."""

    __tablename__ = "hidden_seed_exercises"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    exercise_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class GuidedWalk(Base):
    """A person's walk-through of one card (see `bot.services.guided`): its generation goes up
    with every click and automatic advance, so a pending advance scheduled for an older one,
    in any process, finds it gone by and does nothing."""

    __tablename__ = "guided_walks"
    __table_args__ = (UniqueConstraint("person_id", "card"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    card: Mapped[str] = mapped_column(String(80))
    generation: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


# A group break still open in its channel; one per channel, enforced by a partial unique index.
OPEN_GROUP_BREAKS = "ended_at IS NULL"


class GroupBreak(Claimable, Base):
    """A group break ("Stretch together, now") in one channel: the invitation, then the exercise
    posted in its thread at `starts_at` — the claimed send (inviting → pending → sending →
    posted | missed) — then the closing count on the invitation at `closes_at`."""

    __tablename__ = "group_breaks"
    __table_args__ = (
        Index(
            "uq_group_breaks_open_channel",
            "workspace_id",
            "channel_id",
            unique=True,
            sqlite_where=text(OPEN_GROUP_BREAKS),
            postgresql_where=text(OPEN_GROUP_BREAKS),
        ),
        Index("ix_group_breaks_due", "status", "due_at"),
        Index(
            "ix_group_breaks_closing",
            "closes_at",
            sqlite_where=text(OPEN_GROUP_BREAKS),
            postgresql_where=text(OPEN_GROUP_BREAKS),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    # The thread a mention came from; the invitation goes there (None: the channel itself).
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    # The mention that asked (its ts): Slack delivering it again starts nothing new.
    requested_in: Mapped[str | None] = mapped_column(String(32))
    started_by: Mapped[str] = mapped_column(String(32))  # Slack user id
    # The starter's language when it started: its posts speak it (None: the workspace default).
    language: Mapped[str | None] = mapped_column(String(LANGUAGE_LENGTH))
    exercise_id: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    invitation_ts: Mapped[str | None] = mapped_column(String(32))
    exercise_ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    # The invitation's count is refreshed at most every few seconds, however many click.
    invitation_dirty: Mapped[bool] = mapped_column(Boolean, default=False)
    invitation_updated_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)  # why the exercise post was retried or missed
    created_at: Mapped[datetime]


class GroupBreakParticipant(Base):
    """Someone who pressed I'm in or Done on a group break: one row per person, so double
    clicks and Slack's retries count once."""

    __tablename__ = "group_break_participants"
    __table_args__ = (UniqueConstraint("group_break_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_break_id: Mapped[int] = mapped_column(ForeignKey("group_breaks.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
