"""Challenge messages: the announcement with its live leaderboard, the daily post, the results,
and the ephemeral answers to challenge commands and buttons."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, HeaderBlock

from bot.blocks.admin import channel_list
from bot.blocks.guided import guide_me_button
from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.blocks.message import Message, button, context, escape, notice, section
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

LEADERBOARD_ROWS = 20  # the rest are summarised, so a big channel stays inside Slack's limits
MEDALS = {1: ":first_place_medal:", 2: ":second_place_medal:", 3: ":third_place_medal:"}


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _dates(info: ChallengeInfo) -> str:
    return f"{_day(info.first_day)} – {_day(info.last_day)}"


def leaderboard_text(standings: list[Standing]) -> str:
    if not standings:
        return "_No one has joined yet._"
    lines = [
        f"{MEDALS.get(s.rank, f'{s.rank}.')} <@{s.user_id}> — {s.days_done} "
        f"day{'s' if s.days_done != 1 else ''}"
        for s in standings[:LEADERBOARD_ROWS]
    ]
    if len(standings) > LEADERBOARD_ROWS:
        lines.append(f"…and {len(standings) - LEADERBOARD_ROWS} more")
    return "\n".join(lines)


def announcement(info: ChallengeInfo, standings: list[Standing]) -> Message:
    total = sum(s.days_done for s in standings)
    value = {"challenge": info.challenge_id}
    blocks: list[Block] = [
        HeaderBlock(text=":trophy: Stretch challenge" + (" (ended)" if info.ended else "")),
        section(
            f"<@{info.started_by}> started a {info.days}-work-day stretch challenge, "
            f"{_dates(info)}. Every work day at *{info.at}* ({info.tz}) I'll post an "
            "exercise here — press *Done* when you've done it. Do every day to top the "
            "board!"
        ),
        section(f"*Leaderboard* · channel total: {total}\n{leaderboard_text(standings)}"),
    ]
    if not info.ended:
        blocks.append(
            ActionsBlock(
                block_id="challenge_membership",
                elements=[
                    button("Join", CHALLENGE_JOIN, value, style="primary"),
                    button("Leave", CHALLENGE_LEAVE, value),
                ],
            )
        )
    blocks.append(
        context(
            "`/stretch challenge status` shows the board to you; the starter or "
            "an admin can `/stretch challenge end` it early."
        )
    )
    return Message.build(
        f"Stretch challenge started by <@{info.started_by}>: {info.days} work "
        f"days at {info.at}. Channel total so far: {total}.",
        blocks,
    )


def day_post(day_id: int, number: int, days: int, exercise: Exercise) -> Message:
    exercise = localized(exercise)
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(exercise.steps, start=1))
    facts = exercise.repetitions_text + (f" · {exercise.hold_text}" if exercise.hold_text else "")
    blocks: list[Block] = [
        HeaderBlock(text=f"Challenge day {number} of {days}: {exercise.title}"),
        section(f"*Why:* {exercise.why}\n\n{steps}"),
        context(f":repeat: {facts}", f"Source: {exercise.source.credit}"),
        ActionsBlock(
            block_id="challenge_day",
            elements=[
                button("Done", CHALLENGE_DONE, {"day": day_id}, style="primary"),
                guide_me_button({"day": day_id}),
            ],
        ),
    ]
    return Message.build(f"Challenge day {number} of {days}: {exercise.title}", blocks)


def results_message(info: ChallengeInfo, outcome: Results, days_posted: int) -> Message:
    rate = (
        f"{outcome.completion_rate:.0%}" if outcome.completion_rate is not None else "no one joined"
    )
    every_day = (
        ", ".join(f"<@{u}>" for u in outcome.every_day[:LEADERBOARD_ROWS]) or "nobody this time"
    )
    podium = (
        "\n".join(
            f"{MEDALS.get(s.rank, '')} <@{s.user_id}> — {s.days_done} days"
            for s in outcome.top_three
        )
        or "_No Dones recorded._"
    )
    text = (
        f"The stretch challenge is over: {outcome.total} stretches in {days_posted} days, "
        f"completion {rate}. Thanks, everyone!"
    )
    blocks: list[Block] = [
        HeaderBlock(text=":checkered_flag: Challenge results"),
        section(
            f"*Channel total:* {outcome.total} stretches over {days_posted} days\n"
            f"*Completion rate:* {rate}\n*Every single day:* {every_day}"
        ),
        section(f"*Top three*\n{podium}"),
        context(
            f"Thanks for moving together! Started by <@{info.started_by}>. "
            "Start another with `/stretch challenge start`."
        ),
    ]
    return Message.build(text, blocks)


_RUNNING = "This channel already has a challenge running — `/stretch challenge status` shows it."
OUTCOME_TEXTS = {
    Outcome.DIRECT_MESSAGE: (
        "Challenges are for channels: run `/stretch challenge start` in a channel your team "
        "uses, and everyone there can join. In a DM, `/stretch` gives you an exercise now."
    ),
    Outcome.NONE_IN_CHANNEL: (
        "There's no active challenge in this channel. Start one with `/stretch challenge start`."
    ),
    Outcome.ALREADY_RUNNING: f"{_RUNNING} One at a time!",
    Outcome.STARTED_MEANWHILE: _RUNNING,
    Outcome.JOINED: ":muscle: You're in! Press *Done* on each day's post.",
    Outcome.JOIN_AFTER_END: "That challenge has ended.",
    Outcome.OTHER_CHANNEL: (
        "That button belongs to a challenge in another channel. "
        "To run one here, use `/stretch challenge start`."
    ),
    Outcome.LEFT: "You've left the challenge.",
    Outcome.NOT_A_MEMBER: "You weren't in this challenge.",
    Outcome.DAY_NOT_OPEN: "That challenge day isn't open.",
    Outcome.DONE_AFTER_END: "That challenge has ended — thanks for taking part!",
    Outcome.ENDED: ":checkered_flag: Challenge ended — results are posted in the channel.",
    Outcome.ALREADY_ENDED: "That challenge has already ended.",
}


def challenge_answer(outcome: ChallengeOutcome) -> Message:
    """The answer, seen only by the person, to a challenge command or button."""
    return notice(_answer_text(outcome))


def _answer_text(outcome: ChallengeOutcome) -> str:
    match outcome:
        case Outcome():
            return OUTCOME_TEXTS[outcome]
        case Problem(explanation):
            return escape(explanation)  # may quote what the person typed
        case ChannelNotAllowed(allowed):
            return (
                f"Challenges can run only in {channel_list(allowed)} — your workspace admins "
                "chose those channels. Start one there instead."
            )
        case NotAllowedToEnd(started_by):
            return (
                f"Only <@{started_by}>, who started it, or a workspace admin can end this "
                "challenge."
            )
        case Started(info):
            return (
                f":trophy: Challenge started: {info.days} work days from {_day(info.first_day)}, "
                f"daily at {info.at} ({info.tz}). You've joined."
            )
        case DayDone(number, days_done, already_counted):
            already = " (already counted)" if already_counted else ""
            return (
                f":white_check_mark: Day {number} done{already} — "
                f"{days_done} day{'s' if days_done != 1 else ''} so far. Nice!"
            )
        case StatusReport(info, standings):
            total = sum(s.days_done for s in standings)
            return (
                f"*Challenge* {info.first_day.isoformat()} – {info.last_day.isoformat()}, "
                f"daily at {info.at} ({info.tz}) · channel total {total}\n"
                f"{leaderboard_text(standings)}"
            )
