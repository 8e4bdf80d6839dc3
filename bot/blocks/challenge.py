"""Challenge messages: the announcement with its live leaderboard, the daily post, the results,
and the ephemeral answers to challenge commands and buttons."""

from __future__ import annotations

from datetime import time

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.blocks.admin import channel_list
from bot.blocks.exercise import numbered_steps, source_text, why_text
from bot.blocks.guided import guide_me_button
from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.blocks.message import Message, button, context, escape, header, notice, section
from bot.domain.challenges import (
    ChallengeInfo,
    ChallengeOutcome,
    ChannelNotAllowed,
    DayDone,
    NotAllowedToEnd,
    Outcome,
    Problem,
    Results,
    Standing,
    Started,
    StatusReport,
)
from bot.domain.content import Exercise, localized
from bot.domain.i18n import N_, _, format_clock, format_day, format_share, ngettext

LEADERBOARD_ROWS = 20  # the rest are summarised, so a big channel stays inside Slack's limits
MEDALS = {1: ":first_place_medal:", 2: ":second_place_medal:", 3: ":third_place_medal:"}


def _dates(info: ChallengeInfo) -> str:
    return f"{format_day(info.first_day)} – {format_day(info.last_day)}"


def _clock(at: str) -> str:
    """The challenge's daily time ("11:00") as the reader's language writes times."""
    return format_clock(time.fromisoformat(at))


def leaderboard_text(standings: list[Standing]) -> str:
    if not standings:
        return _("_No one has joined yet._")
    lines = [
        ngettext(
            "{medal} <@{user}> — {n} day",
            "{medal} <@{user}> — {n} days",
            s.days_done,
            medal=MEDALS.get(s.rank, f"{s.rank}."),
            user=s.user_id,
        )
        for s in standings[:LEADERBOARD_ROWS]
    ]
    if len(standings) > LEADERBOARD_ROWS:
        lines.append(_("…and {more} more", more=len(standings) - LEADERBOARD_ROWS))
    return "\n".join(lines)


def announcement(info: ChallengeInfo, standings: list[Standing]) -> Message:
    total = sum(s.days_done for s in standings)
    value = {"challenge": info.challenge_id}
    at = _clock(info.at)
    blocks: list[Block] = [
        header(
            _(":trophy: Stretch challenge (ended)")
            if info.ended
            else _(":trophy: Stretch challenge")
        ),
        section(
            ngettext(
                "<@{starter}> started a {n}-work-day stretch challenge, {dates}. Every work day "
                "at *{at}* ({tz}) I'll post an exercise here — press *Done* when you've done it. "
                "Do every day to top the board!",
                "<@{starter}> started a {n}-work-day stretch challenge, {dates}. Every work day "
                "at *{at}* ({tz}) I'll post an exercise here — press *Done* when you've done it. "
                "Do every day to top the board!",
                info.days,
                starter=info.started_by,
                dates=_dates(info),
                at=at,
                tz=info.tz,
            )
        ),
        section(
            _(
                "*Leaderboard* · channel total: {total}\n{leaderboard}",
                total=total,
                leaderboard=leaderboard_text(standings),
            )
        ),
    ]
    if not info.ended:
        blocks.append(
            ActionsBlock(
                block_id="challenge_membership",
                elements=[
                    button(_("Join"), CHALLENGE_JOIN, value, style="primary"),
                    button(_("Leave"), CHALLENGE_LEAVE, value),
                ],
            )
        )
    blocks.append(
        context(
            _(
                "`/stretch challenge status` shows the board to you; the starter or "
                "an admin can `/stretch challenge end` it early."
            )
        )
    )
    text = ngettext(
        "Stretch challenge started by <@{starter}>: {n} work day at {at}. "
        "Channel total so far: {total}.",
        "Stretch challenge started by <@{starter}>: {n} work days at {at}. "
        "Channel total so far: {total}.",
        info.days,
        starter=info.started_by,
        at=at,
        total=total,
    )
    return Message.build(text, blocks)


def day_post(day_id: int, number: int, days: int, exercise: Exercise) -> Message:
    exercise = localized(exercise)
    facts = exercise.repetitions_text + (f" · {exercise.hold_text}" if exercise.hold_text else "")
    title = _(
        "Challenge day {number} of {days}: {title}", number=number, days=days, title=exercise.title
    )
    blocks: list[Block] = [
        header(title),
        section(f"{why_text(exercise)}\n\n{numbered_steps(exercise)}"),
        context(f":repeat: {facts}", source_text(exercise)),
        ActionsBlock(
            block_id="challenge_day",
            elements=[
                button(_("Done"), CHALLENGE_DONE, {"day": day_id}, style="primary"),
                guide_me_button({"day": day_id}),
            ],
        ),
    ]
    return Message.build(title, blocks)


def results_message(info: ChallengeInfo, outcome: Results, days_posted: int) -> Message:
    rate = (
        format_share(outcome.completion_rate)
        if outcome.completion_rate is not None
        else _("no one joined")
    )
    every_day = ", ".join(f"<@{u}>" for u in outcome.every_day[:LEADERBOARD_ROWS]) or _(
        "nobody this time"
    )
    podium = "\n".join(
        ngettext(
            "{medal} <@{user}> — {n} day",
            "{medal} <@{user}> — {n} days",
            s.days_done,
            medal=MEDALS.get(s.rank, ""),
            user=s.user_id,
        )
        for s in outcome.top_three
    ) or _("_No Dones recorded._")
    numbers = {"total": outcome.total, "days": days_posted, "rate": rate}
    text = _(
        "The stretch challenge is over: {total} stretches in {days} days, completion {rate}. "
        "Thanks, everyone!",
        **numbers,
    )
    blocks: list[Block] = [
        header(_(":checkered_flag: Challenge results")),
        section(
            _(
                "*Channel total:* {total} stretches over {days} days\n"
                "*Completion rate:* {rate}\n*Every single day:* {every_day}",
                every_day=every_day,
                **numbers,
            )
        ),
        section(_("*Top three*\n{podium}", podium=podium)),
        context(
            _(
                "Thanks for moving together! Started by <@{starter}>. "
                "Start another with `/stretch challenge start`.",
                starter=info.started_by,
            )
        ),
    ]
    return Message.build(text, blocks)


# In English; shown through `_`.
OUTCOME_TEXTS = {
    Outcome.DIRECT_MESSAGE: N_(
        "Challenges are for channels: run `/stretch challenge start` in a channel your team "
        "uses, and everyone there can join. In a DM, `/stretch` gives you an exercise now."
    ),
    Outcome.NONE_IN_CHANNEL: N_(
        "There's no active challenge in this channel. Start one with `/stretch challenge start`."
    ),
    Outcome.ALREADY_RUNNING: N_(
        "This channel already has a challenge running — `/stretch challenge status` shows it. "
        "One at a time!"
    ),
    Outcome.STARTED_MEANWHILE: N_(
        "This channel already has a challenge running — `/stretch challenge status` shows it."
    ),
    Outcome.JOINED: N_(":muscle: You're in! Press *Done* on each day's post."),
    Outcome.JOIN_AFTER_END: N_("That challenge has ended."),
    Outcome.OTHER_CHANNEL: N_(
        "That button belongs to a challenge in another channel. "
        "To run one here, use `/stretch challenge start`."
    ),
    Outcome.LEFT: N_("You've left the challenge."),
    Outcome.NOT_A_MEMBER: N_("You weren't in this challenge."),
    Outcome.DAY_NOT_OPEN: N_("That challenge day isn't open."),
    Outcome.DONE_AFTER_END: N_("That challenge has ended — thanks for taking part!"),
    Outcome.ENDED: N_(":checkered_flag: Challenge ended — results are posted in the channel."),
    Outcome.ALREADY_ENDED: N_("That challenge has already ended."),
}


def challenge_answer(outcome: ChallengeOutcome) -> Message:
    """The answer, seen only by the person, to a challenge command or button."""
    return notice(_answer_text(outcome))


def _answer_text(outcome: ChallengeOutcome) -> str:
    match outcome:
        case Outcome():
            return _(OUTCOME_TEXTS[outcome])
        case Problem(explanation):
            return escape(explanation)  # may quote what the person typed
        case ChannelNotAllowed(allowed):
            return _(
                "Challenges can run only in {channels} — your workspace admins "
                "chose those channels. Start one there instead.",
                channels=channel_list(allowed),
            )
        case NotAllowedToEnd(started_by):
            return _(
                "Only <@{starter}>, who started it, or a workspace admin can end this challenge.",
                starter=started_by,
            )
        case Started(info):
            return ngettext(
                ":trophy: Challenge started: {n} work day from {first_day}, daily at {at} ({tz}). "
                "You've joined.",
                ":trophy: Challenge started: {n} work days from {first_day}, daily at {at} "
                "({tz}). You've joined.",
                info.days,
                first_day=format_day(info.first_day),
                at=_clock(info.at),
                tz=info.tz,
            )
        case DayDone(number, days_done, already_counted):
            if already_counted:
                return ngettext(
                    ":white_check_mark: Day {number} done (already counted) — {n} day so far. "
                    "Nice!",
                    ":white_check_mark: Day {number} done (already counted) — {n} days so far. "
                    "Nice!",
                    days_done,
                    number=number,
                )
            return ngettext(
                ":white_check_mark: Day {number} done — {n} day so far. Nice!",
                ":white_check_mark: Day {number} done — {n} days so far. Nice!",
                days_done,
                number=number,
            )
        case StatusReport(info, standings):
            return _(
                "*Challenge* {dates}, daily at {at} ({tz}) · channel total {total}\n{leaderboard}",
                dates=_dates(info),
                at=_clock(info.at),
                tz=info.tz,
                total=sum(s.days_done for s in standings),
                leaderboard=leaderboard_text(standings),
            )
