"""Guided mode through the real app: Guide me, Next and Back, a hold that advances by itself (the
timers fired by hand), and Done — on an ephemeral card (response_url), a DM nudge (chat.update)
and a challenge post (a walk-through of the clicker's own); and what must not happen: a second
count, an advance after a click or after the end, a response_url used a sixth time."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.blocks.ids import (
    CHALLENGE_DONE,
    DONE,
    FORGET_ME,
    GUIDE_BACK,
    GUIDE_DONE,
    GUIDE_NEXT,
    GUIDE_START,
)
from bot.bootstrap import build
from bot.db.models import ChallengeDone, GroupBreak, GroupBreakParticipant, GuidedWalk
from bot.domain.content import DEFAULT_CONTENT_DIR, load_library
from tests.support.answers import ack_body, button, button_value
from tests.support.challenges import CHANNEL, channel_posts
from tests.support.guided import ManualTimers
from tests.support.reminder_helpers import (
    completions,
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.signed_requests import SIGNING_SECRET, SlackSender
from tests.support.slack_limits import message_problems
from tests.support.wsgi_server import serving

LUMBAR = "seated-lumbar-stretch"  # 5 steps: sit; then twist and hold 10 s, on each side


@pytest.fixture
def timers() -> ManualTimers:
    return ManualTimers()


@pytest.fixture
def container(config, clock, timers):
    built = build(config, clock=clock, timers=timers)
    yield built
    built.close()


class Clicks:
    """Clicks, each with a fresh response_url as Slack sends them, waiting for the answer."""

    def __init__(self, slack, fake_slack) -> None:
        self.slack, self.fake = slack, fake_slack
        self.count = 0

    def url(self, n: int) -> str:
        return self.fake.response_url(f"click-{n}")

    def click(self, action_id: str, value: str, *, expect: str = "response_url", **kw) -> str:
        """Click; wait until the answer arrives (`expect`: the method it comes by); the
        response_url the click carried."""
        self.count += 1
        url = self.url(self.count)
        before = len(self.fake.calls_to(expect))
        assert self.slack.action(action_id, value, response_url=url, **kw).status == 200
        wait_for(lambda: len(self.fake.calls_to(expect)) > before)
        return url

    def answers_on(self, url: str) -> list[dict]:
        path = url.removeprefix(url.split("/response/")[0])
        return [c.params for c in self.fake.calls_to("response_url") if c.path == path]


def step_of(message: dict) -> str:
    return next(
        b["text"]["text"].split("\n")[0] for b in message["blocks"] if b["type"] == "section"
    )


def value_of(message: dict, action_id: str) -> str:
    return button_value(message, action_id)


def walks(container) -> int:
    with container.sessions() as session:
        return session.scalar(select(func.count()).select_from(GuidedWalk))


@pytest.fixture
def clicks(slack, fake_slack) -> Clicks:
    fake_slack.limit_response_url_uses(5)
    fake_slack.add_user("U0001", tz="Europe/Berlin")
    return Clicks(slack, fake_slack)


def test_an_ephemeral_card_walks_through_and_counts_once(clicks, container, fake_slack, timers):
    card = ack_body(clicks.slack.command("lumbar"))
    url = clicks.click(GUIDE_START, button(card, GUIDE_START)["value"])
    [first] = clicks.answers_on(url)
    assert first["replace_original"] is True
    assert step_of(first) == "*Step 1 of 5*"
    assert message_problems(first) == [] and timers.pending == []

    url = clicks.click(GUIDE_NEXT, value_of(first, GUIDE_NEXT))
    second = clicks.answers_on(url)[-1]
    assert step_of(second) == "*Step 2 of 5* · First side"
    url = clicks.click(GUIDE_NEXT, value_of(second, GUIDE_NEXT))
    holding = clicks.answers_on(url)[-1]
    assert step_of(holding) == "*Step 3 of 5* · First side"
    assert "Hold 10 s* — I'll move on when it's up" in str(holding["blocks"])
    wait_for(lambda: len(timers.pending) == 1)
    [pending] = timers.pending
    assert pending.seconds == 10

    # Back supersedes the pending advance, here and in any other process.
    back = clicks.click(GUIDE_BACK, value_of(holding, GUIDE_BACK))
    assert step_of(clicks.answers_on(back)[-1]) == "*Step 2 of 5* · First side"
    assert pending.cancelled
    sent = len(fake_slack.calls_to("response_url"))
    timers.fire(pending)  # as a worker that missed the click would
    assert len(fake_slack.calls_to("response_url")) == sent

    url = clicks.click(GUIDE_NEXT, value_of(second, GUIDE_NEXT))
    wait_for(lambda: len(timers.pending) == 1)
    assert timers.fire_due() == 1  # the hold is up
    on_url = clicks.answers_on(url)
    assert len(on_url) == 2  # the click's answer, then the advance, on the same response_url
    other_side = on_url[-1]
    assert other_side["replace_original"] is True
    assert step_of(other_side) == "*Step 4 of 5* · Other side"
    assert timers.pending == []  # not a hold: nothing scheduled

    url = clicks.click(GUIDE_NEXT, value_of(other_side, GUIDE_NEXT))
    last = clicks.answers_on(url)[-1]
    assert step_of(last) == "*Step 5 of 5* · Other side"
    assert "then tap *Done*" in str(last["blocks"])
    assert timers.pending == []  # nothing after the end

    done = value_of(last, GUIDE_DONE)
    for _ in range(2):
        url = clicks.click(GUIDE_DONE, done)
        assert "1 exercise today" in clicks.answers_on(url)[-1]["text"]
    clicks.click(DONE, button(card, DONE)["value"])  # the card's own Done: the same card
    assert "1 exercise today" in fake_slack.calls_to("response_url")[-1].params["text"]
    assert completions(container) == 1
    assert walks(container) == 0
    timers.fire(pending)  # a stale advance after the end
    assert timers.fire_due() == 0
    assert fake_slack.calls_to("response_url")[-1].params["text"].startswith(":white_check_mark:")


def test_a_wandered_off_walk_through_stops(clicks, container, fake_slack, timers):
    card = ack_body(clicks.slack.command("scapular"))
    assert card["blocks"][0]["text"]["text"] == "Scapular retraction"
    url = clicks.click(GUIDE_START, button(card, GUIDE_START)["value"])
    message = clicks.answers_on(url)[-1]
    url = clicks.click(GUIDE_NEXT, value_of(message, GUIDE_NEXT))
    message = clicks.answers_on(url)[-1]
    url = clicks.click(GUIDE_NEXT, value_of(message, GUIDE_NEXT))
    last = clicks.answers_on(url)[-1]
    assert step_of(last) == "*Step 3 of 3*" and "Hold 5 s* — then tap *Done*" in str(last)
    sent = len(fake_slack.calls)
    assert timers.pending == [] and timers.fire_due() == 0  # the hold is the last step
    assert len(fake_slack.calls) == sent
    assert completions(container) == 0


def long_hold_library(tmp_path):
    """The seed content plus an exercise of six steps that each hold."""
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    text = (content / "exercises" / "scapular-retraction.yaml").read_text()
    steps = "".join(f'  - "Hold position {n}."\n' for n in range(1, 7))
    start, rest = text.split("steps:\n", 1)
    rest = rest[rest.index("hold_seconds:") :]
    text = start.replace('"scapular-retraction"', '"six-holds"') + "steps:\n" + steps + rest
    text = text.replace('title: "Scapular retraction"', 'title: "Six holds"')
    (content / "exercises" / "six-holds.yaml").write_text(text)
    return load_library(content)


@pytest.fixture
def six_holds(config, clock, timers, tmp_path):
    built = build(config, clock=clock, timers=timers, library=long_hold_library(tmp_path))
    yield built
    built.close()


def test_the_response_url_budget_is_kept(six_holds, fake_slack, timers, clock):
    fake_slack.limit_response_url_uses(5)
    with serving(six_holds.wsgi_app) as app_url:
        clicks = Clicks(
            SlackSender(app_url, SIGNING_SECRET, fake_slack.response_url("x")), fake_slack
        )
        value = json.dumps({"exercise": "six-holds", "card": "c1", "source": "command"})
        url = clicks.click(GUIDE_START, value)
        for _ in range(4):  # four advances: the response_url's uses two to five
            wait_for(lambda: len(timers.pending) == 1)
            timers.fire_due()
        on_url = clicks.answers_on(url)
        assert [step_of(m) for m in on_url] == [f"*Step {n} of 6*" for n in range(1, 6)]
        assert "then tap *Next*" in str(on_url[-1]["blocks"])  # a sixth use would be refused
        assert timers.pending == []
        assert "I'll move on" in str(on_url[-2]["blocks"])

        # A fresh click brings a fresh response_url; one half an hour old is not used again.
        url = clicks.click(GUIDE_BACK, value_of(on_url[-1], GUIDE_BACK))
        wait_for(lambda: len(timers.pending) == 1)
        clock.advance(minutes=30)
        timers.fire_due()
        assert len(clicks.answers_on(url)) == 1
    assert fake_slack.rejections == []


def dm_container(nudge: dict) -> dict:
    return {
        "type": "message",
        "channel_id": "D0001",
        "message_ts": nudge["ts"],
        "is_ephemeral": False,
    }


def test_a_dm_nudge_walks_through_with_chat_update(slack, container, fake_slack, clock, timers):
    opt_in(slack, fake_slack)
    run_tick_at(container, clock, person(container).next_nudge_at)
    [nudge] = posted_nudges(fake_slack)
    nudge_card = json.loads(button_value(nudge, DONE))["card"]
    clicks = Clicks(slack, fake_slack)
    in_dm = {"container": dm_container(nudge), "expect": "chat.update"}
    guide = json.dumps({"exercise": LUMBAR, "card": nudge_card, "source": "nudge"})

    # Someone else clicking the owner's Guide me (a copied value) is refused; nothing changes.
    url = clicks.click(GUIDE_START, guide, user="U0002")
    assert "try `/stretch` again" in clicks.answers_on(url)[-1]["text"]
    assert fake_slack.calls_to("chat.update") == [] and walks(container) == 0

    def shown() -> dict:
        update = fake_slack.calls_to("chat.update")[-1].params
        assert update["channel"] == "D0001" and update["ts"] == nudge["ts"]
        return update

    clicks.click(GUIDE_START, guide, **in_dm)
    assert step_of(shown()) == "*Step 1 of 5*"
    clicks.click(GUIDE_NEXT, value_of(shown(), GUIDE_NEXT), **in_dm)
    clicks.click(GUIDE_NEXT, value_of(shown(), GUIDE_NEXT), **in_dm)
    assert step_of(shown()) == "*Step 3 of 5* · First side"
    assert fake_slack.calls_to("response_url")[-1].params["text"].startswith("That button")
    wait_for(lambda: len(timers.pending) == 1)
    timers.fire_due()
    assert step_of(shown()) == "*Step 4 of 5* · Other side"
    assert fake_slack.messages("U0001")[0]["text"].startswith("Seated lumbar stretch: step 4")

    # chat.update's budget for automatic advances: a second one at once in the workspace waits
    # for the person's Next.
    clicks.click(GUIDE_BACK, value_of(shown(), GUIDE_BACK), **in_dm)
    wait_for(lambda: len(timers.pending) == 1)
    updates = len(fake_slack.calls_to("chat.update"))
    timers.fire_due()
    assert len(fake_slack.calls_to("chat.update")) == updates
    assert step_of(shown()) == "*Step 3 of 5* · First side"

    clicks.click(GUIDE_NEXT, value_of(shown(), GUIDE_NEXT), **in_dm)
    clicks.click(GUIDE_NEXT, value_of(shown(), GUIDE_NEXT), **in_dm)
    done = value_of(shown(), GUIDE_DONE)
    clicks.click(GUIDE_DONE, done, user="U0002", expect="response_url")  # not theirs
    assert completions(container) == 0
    for _ in range(2):
        clicks.click(GUIDE_DONE, done, **in_dm)
        assert "1 exercise today" in shown()["text"]
    [answered] = nudges(container)
    assert answered.outcome == "done"
    assert completions(container) == 1
    assert fake_slack.calls_to("response_url")[-1].params["text"].startswith("That button")


def test_a_challenge_post_guides_the_clicker_alone(slack, container, fake_slack, clock, timers):
    for user in ("U0001", "U0002"):
        fake_slack.add_user(user, tz="Europe/Berlin")
    fake_slack.add_channel(CHANNEL, is_member=False)
    slack.command("challenge start 3 days at 14:00", channel=CHANNEL)
    wait_for(lambda: fake_slack.calls_to("response_url"))
    run_tick_at(container, clock, datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    day_post = channel_posts(fake_slack)[-1]
    assert day_post["text"].startswith("Challenge day 1 of 3")
    posts_before = channel_posts(fake_slack)
    updates_before = len(fake_slack.calls_to("chat.update"))
    clicks = Clicks(slack, fake_slack)
    on_post = {"container": {"type": "message", "channel_id": CHANNEL, "message_ts": "1.1"}}

    url = clicks.click(GUIDE_START, button_value(day_post, GUIDE_START), user="U0002", **on_post)
    [own] = clicks.answers_on(url)
    assert own["response_type"] == "ephemeral" and own["replace_original"] is False
    assert step_of(own).startswith("*Step 1 of ")
    assert message_problems(own) == []

    message = own
    while True:  # the clicker's own ephemeral walk-through, replaced in place
        if timers.pending:
            timers.fire_due()  # a hold: moves on by itself within the budget
        try:
            value = value_of(message, GUIDE_NEXT)
        except AssertionError:
            break
        url = clicks.click(GUIDE_NEXT, value, user="U0002")
        message = clicks.answers_on(url)[-1]
        assert message["replace_original"] is True
    for _ in range(2):
        url = clicks.click(GUIDE_DONE, value_of(message, GUIDE_DONE), user="U0002")
    assert "Day 1 done" in clicks.answers_on(url)[-1]["text"]
    clicks.click(CHALLENGE_DONE, button_value(day_post, CHALLENGE_DONE), user="U0002", **on_post)
    assert "already counted" in fake_slack.calls_to("response_url")[-1].params["text"]

    with container.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ChallengeDone)) == 1
    assert completions(container) == 1
    assert channel_posts(fake_slack) == posts_before  # the shared post never changed
    assert len(fake_slack.calls_to("chat.update")) == updates_before

    # A day id of another workspace's (or no) challenge is refused.
    url = clicks.click(GUIDE_START, json.dumps({"day": 999}), **on_post)
    assert "isn't open" in clicks.answers_on(url)[-1]["text"]


@pytest.mark.parametrize(
    "action_id, value",
    [
        (GUIDE_NEXT, "{not json"),
        (
            GUIDE_NEXT,
            json.dumps({"exercise": LUMBAR, "card": "c1", "source": "command", "step": 5}),
        ),
        (GUIDE_NEXT, json.dumps({"exercise": "nope", "card": "c1", "source": "command"})),
        (GUIDE_NEXT, json.dumps({"exercise": LUMBAR, "card": "c1", "source": "elsewhere"})),
        (GUIDE_NEXT, json.dumps({"exercise": LUMBAR, "card": "c1", "source": "challenge"})),
        (GUIDE_NEXT, json.dumps({"exercise": LUMBAR, "card": "day-1", "source": "challenge"})),
        (GUIDE_START, json.dumps({"exercise": LUMBAR, "card": "nudge-1", "source": "nudge"})),
        (GUIDE_DONE, json.dumps({"exercise": LUMBAR, "card": "c 1", "source": "command"})),
        (GUIDE_DONE, json.dumps({"exercise": "nope", "card": "c1", "source": "command"})),
        (GUIDE_DONE, json.dumps({"exercise": LUMBAR, "card": "nudge-1", "source": "nudge"})),
    ],
)
def test_forged_values_get_a_clear_answer_and_record_nothing(
    clicks, container, fake_slack, action_id, value
):
    url = clicks.click(action_id, value)
    assert "try `/stretch` again" in clicks.answers_on(url)[-1]["text"]
    assert completions(container) == 0 and walks(container) == 0


def test_forget_me_deletes_the_walks(clicks, container, fake_slack):
    value = json.dumps({"exercise": LUMBAR, "card": "c1", "source": "command"})
    clicks.click(GUIDE_START, value)
    assert walks(container) == 1
    clicks.click(FORGET_ME, "confirm")
    assert walks(container) == 0


def test_a_group_break_post_guides_the_clicker_alone(slack, container, fake_slack, clock, timers):
    """The exercise in a group break's thread is shared: Guide me gives the clicker their own
    walk-through, and its Done counts for the group break (tally and progress) like the post's."""
    for user in ("U0001", "U0002"):
        fake_slack.add_user(user, tz="Europe/Berlin")
    fake_slack.add_channel(CHANNEL)
    slack.command("together now", channel=CHANNEL)
    wait_for(lambda: fake_slack.calls_to("response_url"))
    run_tick_at(container, clock, clock.now())
    with container.sessions() as session:  # closed: an open one blocks PostgreSQL's TRUNCATE
        [group_break] = session.scalars(select(GroupBreak)).all()
    [post] = [m for m in fake_slack.messages(CHANNEL) if m.get("thread_ts") not in (None, m["ts"])]
    clicks = Clicks(slack, fake_slack)
    on_post = {"container": {"type": "message", "channel_id": CHANNEL, "message_ts": post["ts"]}}

    url = clicks.click(GUIDE_START, button_value(post, GUIDE_START), user="U0002", **on_post)
    [message] = clicks.answers_on(url)
    assert message["response_type"] == "ephemeral" and step_of(message).startswith("*Step 1 of ")
    while True:
        if timers.pending:
            timers.fire_due()
        try:
            value = value_of(message, GUIDE_NEXT)
        except AssertionError:
            break
        message = clicks.answers_on(clicks.click(GUIDE_NEXT, value, user="U0002"))[-1]
    for _ in range(2):
        url = clicks.click(GUIDE_DONE, value_of(message, GUIDE_DONE), user="U0002")
    with container.sessions() as session:
        done = session.scalars(
            select(GroupBreakParticipant).where(GroupBreakParticipant.done_at.is_not(None))
        ).all()
    assert [row.group_break_id for row in done] == [group_break.id]
    assert completions(container) == 1
    elsewhere = {"container": {"type": "message", "channel_id": "C0999", "message_ts": "1.1"}}
    url = clicks.click(GUIDE_START, button_value(post, GUIDE_START), user="U0002", **elsewhere)
    assert "Step" not in clicks.answers_on(url)[-1].get("text", "")  # replayed elsewhere: refused
