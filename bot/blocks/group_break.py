"""Group break messages: the invitation with its live count, the exercise posted in its thread,
and the answers (seen only by the asker or clicker) to `/stretch together` and the buttons.

Nothing here pings anyone: no `@channel`, no `@here` — people opt in with **I'm in**.
"""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.blocks.admin import channel_list
from bot.blocks.exercise import exercise_facts, steps_text, why_text
from bot.blocks.guided import guide_me_button
from bot.blocks.ids import GROUP_BREAK_DONE, GROUP_BREAK_JOIN
from bot.blocks.message import Message, button, context, escape, header, notice, section
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
from bot.domain.i18n import N_, _, format_clock, ngettext


def slack_time(at: datetime) -> str:
    """`at` as Slack shows it to each reader, in their own time zone (UTC where it cannot)."""
    fallback = _("{clock} UTC", clock=format_clock(at.astimezone(UTC)))
    return f"<!date^{int(at.timestamp())}^{{time}}|{fallback}>"


def _headline(state: InvitationState, now: datetime) -> str:
    if state.ended:
        return _("Stretch break done")
    if state.exercise_posted:
        return _("Stretch break — now!")
    minutes = minutes_until(now, state.starts_at)
    if minutes == 0:
        return _("Stretch break starting now")
    return ngettext("Stretch break in {n} minute", "Stretch break in {n} minutes", minutes)


def invitation(state: InvitationState, now: datetime) -> Message:
    """The channel's invitation as it stands at `now`."""
    headline = _headline(state, now)
    if state.ended:
        joined = ngettext("{n} person joined", "{n} people joined", state.joined)
        did_it = ngettext("{n} person did it", "{n} people did it", state.done)
        counts = f"{joined} · {did_it}"
        blocks: list[Block] = [
            header(f":raised_hands: {headline}"),
            section(_("*{counts}.* Thanks for moving together!", counts=counts)),
            context(_("Start another any time with `/stretch together`.")),
        ]
        return Message.build(_("{headline}: {counts}.", headline=headline, counts=counts), blocks)
    if state.exercise_posted:
        about = _("The exercise is in the thread: do it together, then press *Done* there.")
    else:
        about = _(
            "<@{starter}> is starting a short group stretch at {time}. Press *I'm in* to join "
            "— the exercise will appear in this thread.",
            starter=state.started_by,
            time=slack_time(state.starts_at),
        )
    count = ngettext("{n} person in", "{n} people in", state.joined)
    if state.done:
        count += " · " + _("{done} done", done=state.done)
    blocks = [
        header(f":person_in_lotus_position: {headline}"),
        section(about),
        section(f"*{count}*" if state.joined else _("_No one yet — be the first!_")),
        ActionsBlock(
            block_id="group_break_join",
            elements=[
                button(
                    _("I'm in"),
                    GROUP_BREAK_JOIN,
                    {"break": state.group_break_id},
                    style="primary",
                )
            ],
        ),
    ]
    text = _("{headline} — press I'm in to join. {count}.", headline=headline, count=count)
    return Message.build(text, blocks)


def exercise_post(group_break_id: int, exercise: Exercise) -> Message:
    """The exercise, posted in the invitation's thread at the start."""
    exercise = localized(exercise)
    title = _("Together now: {title}", title=exercise.title)
    blocks: list[Block] = [
        header(title),
        section(why_text(exercise)),
        section(steps_text(exercise)),
        context(*exercise_facts(exercise)),
    ]
    if exercise.cautions:
        blocks.append(section(":warning: " + " ".join(exercise.cautions)))
    blocks.append(
        ActionsBlock(
            block_id="group_break_done",
            elements=[
                button(_("Done"), GROUP_BREAK_DONE, {"break": group_break_id}, style="primary"),
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


# In English; shown through `_`.
ANSWER_TEXTS = {
    Answer.DIRECT_MESSAGE: N_(
        "Group breaks are for channels: run `/stretch together` in a channel your team uses "
        "(or mention me there), and everyone can join. Here, `/stretch` gives you an exercise now."
    ),
    Answer.NOT_A_MEMBER: N_(
        "I'm not in this channel, so I can't post here. Invite me with `/invite @Stretch Break`, "
        "then ask for the group break again."
    ),
    Answer.NO_EXERCISE: N_(
        "The library has no exercise a group can do together (seated or standing, nothing "
        "but a chair), so there's no group break for now."
    ),
    Answer.OTHER_CHANNEL: N_(
        "That button belongs to a group break in another channel, so nothing was counted. "
        "Start one here with `/stretch together`."
    ),
    Answer.UNKNOWN: N_("That group break is over. Start another with `/stretch together`."),
    Answer.NOT_STARTED: N_("The exercise isn't out yet — it appears in the thread at the start."),
    Answer.JOINED: N_(":muscle: You're in! The exercise appears in the thread at the start."),
    Answer.ALREADY_JOINED: N_("You're already in. See you in the thread!"),
}


def group_break_answer(outcome: GroupBreakOutcome) -> Message | None:
    """The answer to the asker or clicker alone; None when there is nothing to say (Slack
    delivered a mention again)."""
    match outcome:
        case Answer.ALREADY_REQUESTED:
            return None
        case Answer():
            return notice(_(ANSWER_TEXTS[outcome]))
        case Problem(explanation):
            return notice(escape(explanation))
        case ChannelNotAllowed(allowed):
            return notice(
                _(
                    "Group breaks can run only in {channels} — your workspace admins "
                    "chose those channels. Start one there instead.",
                    channels=channel_list(allowed),
                )
            )
        case Started(starts_at):
            return notice(
                _(
                    ":person_in_lotus_position: Group break posted — it starts at {time}. "
                    "You're in.",
                    time=slack_time(starts_at),
                )
            )
        case AlreadyOne(starts_at):
            return notice(
                _(
                    "There's already a group break in this channel — it starts at {time}. "
                    "Press *I'm in* on its invitation to join. One at a time!",
                    time=slack_time(starts_at),
                )
            )
        case Counted(title, already_counted):
            if already_counted:
                return notice(
                    _(
                        ":white_check_mark: {title} done together (already counted) — it "
                        "counts toward your progress and streak.",
                        title=escape(title),
                    )
                )
            return notice(
                _(
                    ":white_check_mark: {title} done together — it counts toward your progress "
                    "and streak.",
                    title=escape(title),
                )
            )


def mention_usage() -> Message:
    """The usage is marked for translation where it is written (`bot.domain.group_breaks`)."""
    return notice(_(MENTION_USAGE))
