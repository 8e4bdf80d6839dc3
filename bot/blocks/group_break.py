"""Group break messages: the invitation with its live count, the exercise posted in its thread,
and the answers (seen only by the asker or clicker) to `/stretch together` and the buttons.

Nothing here pings anyone: no `@channel`, no `@here` — people opt in with **I'm in**.
"""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import ActionsBlock, Block, HeaderBlock

from bot.blocks.admin import channel_list
from bot.blocks.exercise import exercise_facts, steps_text
from bot.blocks.guided import guide_me_button
from bot.blocks.ids import GROUP_BREAK_DONE, GROUP_BREAK_JOIN
from bot.blocks.message import Message, button, context, escape, notice, section
from bot.domain.challenges import ChannelNotAllowed
from bot.domain.content import Exercise, localized
from bot.domain.group_breaks import (
    MENTION_USAGE,
    AlreadyOne,
    Answer,
    Counted,
    GroupBreakOutcome,
    InvitationState,
    Problem,
    Started,
    minutes_until,
)
from bot.domain.guided import group_break_card


def slack_time(at: datetime) -> str:
    """`at` as Slack shows it to each reader, in their own time zone (UTC where it cannot)."""
    fallback = at.astimezone(UTC).strftime("%H:%M UTC")
    return f"<!date^{int(at.timestamp())}^{{time}}|{fallback}>"


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _headline(state: InvitationState, now: datetime) -> str:
    if state.ended:
        return "Stretch break done"
    if state.exercise_posted:
        return "Stretch break — now!"
    minutes = minutes_until(now, state.starts_at)
    if minutes == 0:
        return "Stretch break starting now"
    return f"Stretch break in {minutes} minute{'s' if minutes != 1 else ''}"


def invitation(state: InvitationState, now: datetime) -> Message:
    """The channel's invitation as it stands at `now`."""
    headline = _headline(state, now)
    if state.ended:
        counts = f"{_people(state.joined)} joined · {_people(state.done)} did it"
        blocks: list[Block] = [
            HeaderBlock(text=f":raised_hands: {headline}"),
            section(f"*{counts}.* Thanks for moving together!"),
            context("Start another any time with `/stretch together`."),
        ]
        return Message.build(f"{headline}: {counts}.", blocks)
    if state.exercise_posted:
        about = "The exercise is in the thread: do it together, then press *Done* there."
    else:
        about = (
            f"<@{state.started_by}> is starting a short group stretch at "
            f"{slack_time(state.starts_at)}. Press *I'm in* to join — the exercise will "
            "appear in this thread."
        )
    count = f"{_people(state.joined)} in" + (f" · {state.done} done" if state.done else "")
    blocks = [
        HeaderBlock(text=f":person_in_lotus_position: {headline}"),
        section(about),
        section(f"*{count}*" if state.joined else "_No one yet — be the first!_"),
        ActionsBlock(
            block_id="group_break_join",
            elements=[
                button(
                    "I'm in",
                    GROUP_BREAK_JOIN,
                    {"break": state.group_break_id},
                    style="primary",
                )
            ],
        ),
    ]
    return Message.build(f"{headline} — press I'm in to join. {count}.", blocks)


def exercise_post(group_break_id: int, exercise: Exercise) -> Message:
    """The exercise, posted in the invitation's thread at the start."""
    exercise = localized(exercise)
    title = f"Together now: {exercise.title}"
    blocks: list[Block] = [
        HeaderBlock(text=title),
        section(f"*Why:* {exercise.why}"),
        section(steps_text(exercise)),
        context(*exercise_facts(exercise)),
    ]
    if exercise.cautions:
        blocks.append(section(":warning: " + " ".join(exercise.cautions)))
    blocks.append(
        ActionsBlock(
            block_id="group_break_done",
            elements=[
                button("Done", GROUP_BREAK_DONE, {"break": group_break_id}, style="primary"),
                guide_me_button(
                    {
                        "exercise": exercise.id,
                        "card": group_break_card(group_break_id),
                        "source": "together",
                    }
                ),
            ],
        )
    )
    return Message.build(title, blocks)


ANSWER_TEXTS = {
    Answer.DIRECT_MESSAGE: (
        "Group breaks are for channels: run `/stretch together` in a channel your team uses "
        "(or mention me there), and everyone can join. Here, `/stretch` gives you an exercise now."
    ),
    Answer.NOT_A_MEMBER: (
        "I'm not in this channel, so I can't post here. Invite me with `/invite @Stretch Break`, "
        "then ask for the group break again."
    ),
    Answer.NO_EXERCISE: (
        "The library has no exercise a group can do together (seated or standing, nothing "
        "but a chair), so there's no group break for now."
    ),
    Answer.OTHER_CHANNEL: (
        "That button belongs to a group break in another channel, so nothing was counted. "
        "Start one here with `/stretch together`."
    ),
    Answer.UNKNOWN: "That group break is over. Start another with `/stretch together`.",
    Answer.NOT_STARTED: "The exercise isn't out yet — it appears in the thread at the start.",
    Answer.JOINED: ":muscle: You're in! The exercise appears in the thread at the start.",
    Answer.ALREADY_JOINED: "You're already in. See you in the thread!",
}


def group_break_answer(outcome: GroupBreakOutcome) -> Message | None:
    """The answer to the asker or clicker alone; None when there is nothing to say (Slack
    delivered a mention again)."""
    match outcome:
        case Answer.ALREADY_REQUESTED:
            return None
        case Answer():
            return notice(ANSWER_TEXTS[outcome])
        case Problem(explanation):
            return notice(escape(explanation))
        case ChannelNotAllowed(allowed):
            return notice(
                f"Group breaks can run only in {channel_list(allowed)} — your workspace admins "
                "chose those channels. Start one there instead."
            )
        case Started(starts_at):
            return notice(
                f":person_in_lotus_position: Group break posted — it starts at "
                f"{slack_time(starts_at)}. You're in."
            )
        case AlreadyOne(starts_at):
            return notice(
                "There's already a group break in this channel — it starts at "
                f"{slack_time(starts_at)}. Press *I'm in* on its invitation to join. "
                "One at a time!"
            )
        case Counted(title, already_counted):
            already = " (already counted)" if already_counted else ""
            return notice(
                f":white_check_mark: {escape(title)} done together{already} — it counts "
                "toward your progress and streak."
            )


def mention_usage() -> Message:
    return notice(MENTION_USAGE)
