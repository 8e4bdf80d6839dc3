"""Buttons on challenge posts: Join and Leave on the announcement, Done on each day's post.
Answers are ephemeral, so the channel only sees the leaderboard change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.challenge import challenge_answer
from bot.blocks.ids import CHALLENGE_DONE, CHALLENGE_JOIN, CHALLENGE_LEAVE
from bot.domain.challenges import ChallengeOutcome
from bot.domain.people import SlackProfile, SlackUser
from bot.listeners.identity import channel_of, clicker, person_of
from bot.listeners.payloads import Json, button_id
from bot.slack.profiles import ProfileLater

if TYPE_CHECKING:
    from bot.services.container import Services


def join(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _click(ack, body, respond, client, services.challenges.join, button_id(action, "challenge"))


def leave(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    _click(ack, body, respond, client, services.challenges.leave, button_id(action, "challenge"))


def day_done(
    ack: Ack, action: Json, body: Json, respond: Respond, client: WebClient, services: Services
) -> None:
    """The click of a challenge day's post, which the whole channel may click within seconds of
    the post (issue 16): the Done is recorded first, then acked, so an acked Done is counted
    whatever happens next; the answer follows on the after-ack threads, and the profile of
    someone the app has not met (whose row is made with the defaults meanwhile) at Slack's pace
    (`bot.jobs.profile_fetches`). A crash in between loses the answer or the profile (the time
    zone then comes with Slack's next `user_change`, or the tick's availability check before a
    nudge), never the Done."""
    who, profile = person_of(body), ProfileLater()
    try:
        outcome = services.challenges.done(who, channel_of(body), button_id(action, "day"), profile)
    finally:
        ack()  # also when recording failed: Slack is not to resend a click
    answer = challenge_answer(outcome).as_kwargs()
    services.after_ack.submit(
        "challenge Done answer",
        lambda: respond(replace_original=False, response_type="ephemeral", **answer),
    )
    if profile.asked:
        services.profiles.fetch(client, who)


def _click(
    ack: Ack,
    body: Json,
    respond: Respond,
    client: WebClient,
    use_case: Callable[[SlackUser, str, int, SlackProfile], ChallengeOutcome],
    target_id: int,
) -> None:
    """Ack; then the use case, for the clicker, on the challenge or day the button names, if
    it is clicked in that challenge's channel; then the answer, to the clicker alone."""
    ack()
    who, profile = clicker(body, client)
    answer = challenge_answer(use_case(who, channel_of(body), target_id, profile))
    respond(replace_original=False, response_type="ephemeral", **answer.as_kwargs())


def register(app: App) -> None:
    app.action(CHALLENGE_JOIN)(join)
    app.action(CHALLENGE_LEAVE)(leave)
    app.action(CHALLENGE_DONE)(day_done)
