"""The workspace admin's part through the real app: the Admin section in the Home tab, the
workspace defaults modal (saved, refused on its fields, refused to non-admins however forged),
per-weekday work hours for new people only, the workspace's public holidays (in the modal and by
`/stretch admin holidays`), the daily cap, the challenge channels, the team view and its
suppression of small groups, and two workspaces side by side."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.blocks.admin import (
    CAP_BLOCK,
    CHANNELS_BLOCK,
    DEFAULTS_CALLBACK,
    EVERYONE_ADDS,
    EVERYONE_ADDS_BLOCK,
    NOT_AN_ADMIN,
)
from bot.blocks.holiday_settings import HOLIDAY_COUNTRY_BLOCK, HOLIDAY_REGION_BLOCK
from bot.blocks.ids import EDIT_WORKSPACE_DEFAULTS, OPEN_SETTINGS, OPEN_TEAM_VIEW
from bot.blocks.settings import INTERVAL_BLOCK, PLACE_BLOCK, SETTINGS_CALLBACK
from bot.blocks.work_hours import HOURS_BLOCKS, SAME_AS_MONDAY_BLOCK
from bot.db.models import (
    Challenge,
    Completion,
    GroupBreak,
    Person,
    Workspace,
    WorkspaceDefaultsRow,
)
from bot.domain.team_view import TOO_FEW
from tests.support.answers import initial_state, opened_view
from tests.support.challenges import CHANNEL
from tests.support.reminder_helpers import opt_in, person, posted_nudges, run_tick_at, wait_for
from tests.support.slack_limits import view_problems

ADMIN, MEMBER = "UADMIN", "U0001"
OTHER_TEAM, OTHER_ADMIN = "T0002", "UBADMIN"
ALLOWED = "C0ALLOWED"
MONDAY, FRIDAY = HOURS_BLOCKS[0], HOURS_BLOCKS[4]


@pytest.fixture
def people(fake_slack):
    fake_slack.add_user(ADMIN, is_admin=True)
    fake_slack.add_user(MEMBER)


def open_home(slack, fake_slack, user: str, team: str = "T0001") -> dict:
    before = len(fake_slack.calls_to("views.publish"))
    slack.event(
        {"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1.0"}, team=team
    )
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) > before)
    return fake_slack.home(user)


def choose(values: dict, block: str, **answer) -> None:
    values[block][block].update(answer)


def option(value: str) -> dict:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def defaults_form(slack, fake_slack, user: str = ADMIN, team: str = "T0001") -> dict:
    """The defaults modal's values as the admin would submit them untouched."""
    before = len(fake_slack.calls_to("views.open"))
    slack.action(EDIT_WORKSPACE_DEFAULTS, "edit", user=user, team=team)
    wait_for(lambda: len(fake_slack.calls_to("views.open")) > before)
    view = opened_view(fake_slack)
    assert view["callback_id"] == DEFAULTS_CALLBACK and view_problems(view) == []
    return initial_state(view)


def save_defaults(slack, fake_slack, user: str = ADMIN, team: str = "T0001", **changes) -> None:
    values = defaults_form(slack, fake_slack, user, team)
    for block, answer in changes.items():
        choose(values, block, **answer)
    reply = slack.view_submission(DEFAULTS_CALLBACK, values, user=user, team=team)
    assert reply.status == 200 and reply.body in ("", "{}"), reply.body


def stored_defaults(container) -> list[WorkspaceDefaultsRow]:
    with container.sessions() as session:
        return list(session.scalars(select(WorkspaceDefaultsRow)))


def last_reply(fake_slack, before: int) -> str:
    wait_for(lambda: len(fake_slack.calls_to("response_url")) > before)
    return str(fake_slack.calls_to("response_url")[-1].params)


def test_only_admins_see_the_admin_section(slack, fake_slack, people):
    fake_slack.add_user("UOWNER", is_owner=True)
    assert "Edit workspace defaults" in str(open_home(slack, fake_slack, ADMIN))
    assert view_problems(fake_slack.home(ADMIN)) == []
    assert "Edit workspace defaults" in str(open_home(slack, fake_slack, "UOWNER"))
    assert "Admin" not in str(open_home(slack, fake_slack, MEMBER))
    fake_slack.update_user(ADMIN, is_admin=False)  # demoted: gone at the next look
    assert "Edit workspace defaults" not in str(open_home(slack, fake_slack, ADMIN))


def test_defaults_are_checked_on_the_fields_and_saved(slack, fake_slack, container, people):
    values = defaults_form(slack, fake_slack)
    choose(values, MONDAY, value="9-25")
    choose(values, HOLIDAY_REGION_BLOCK, value="BY")  # a region without a country
    choose(values, CAP_BLOCK, selected_option=option("40"))
    choose(values, CHANNELS_BLOCK, selected_conversations=["not a channel"])
    choose(values, EVERYONE_ADDS_BLOCK, selected_options=[option("forged")])
    reply = slack.view_submission(DEFAULTS_CALLBACK, values, user=ADMIN)
    assert reply.json()["response_action"] == "errors"
    assert set(reply.json()["errors"]) == {
        MONDAY,
        HOLIDAY_REGION_BLOCK,
        CAP_BLOCK,
        CHANNELS_BLOCK,
        EVERYONE_ADDS_BLOCK,
    }
    assert stored_defaults(container) == []  # nothing half-saved

    save_defaults(
        slack,
        fake_slack,
        **{
            MONDAY: {"value": "8-12, 13-16"},
            FRIDAY: {"value": ""},  # Fridays off
            INTERVAL_BLOCK: {"selected_option": option("30")},
            PLACE_BLOCK: {"selected_option": option("home")},
            HOLIDAY_COUNTRY_BLOCK: {"selected_option": option("DE")},
            HOLIDAY_REGION_BLOCK: {"value": "by"},
            CAP_BLOCK: {"selected_option": option("3")},
            CHANNELS_BLOCK: {"selected_conversations": [ALLOWED]},
            EVERYONE_ADDS_BLOCK: {"selected_options": [option(EVERYONE_ADDS)]},
        },
    )
    (row,) = stored_defaults(container)
    with container.sessions() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.team_id == "T0001"))
        assert workspace.everyone_may_add_exercises  # the flag `/stretch library everyone` sets
    assert row.work_pattern == "08:00-12:00,13:00-16:00;09:00-17:00;09:00-17:00;09:00-17:00;;;"
    assert (row.interval_minutes, row.place, row.daily_nudge_cap) == (30, "home", 3)
    assert row.challenge_channels == ALLOWED and row.updated_by == ADMIN
    assert workspace_holidays(container) == ("DE", "BY")
    wait_for(lambda: fake_slack.messages(ADMIN))
    assert "Workspace defaults saved" in fake_slack.messages(ADMIN)[-1]["text"]
    wait_for(lambda: "every 30 minutes, home" in str(fake_slack.home(ADMIN)))
    home = str(fake_slack.home(ADMIN))
    assert f"<#{ALLOWED}>" in home and "Mon 08:00–12:00, 13:00–16:00" in home and "BY" in home
    assert "everyone may add exercises" in home
    reopened = defaults_form(slack, fake_slack)  # the modal shows what was saved
    assert reopened[MONDAY][MONDAY]["value"] == "08:00-12:00, 13:00-16:00"
    assert reopened[FRIDAY][FRIDAY]["value"] is None
    assert (
        reopened[HOLIDAY_COUNTRY_BLOCK][HOLIDAY_COUNTRY_BLOCK]["selected_option"]["value"] == "DE"
    )
    assert reopened[CAP_BLOCK][CAP_BLOCK]["selected_option"]["value"] == "3"
    assert reopened[CHANNELS_BLOCK][CHANNELS_BLOCK]["selected_conversations"] == [ALLOWED]
    ticked = reopened[EVERYONE_ADDS_BLOCK][EVERYONE_ADDS_BLOCK]["selected_options"]
    assert [option["value"] for option in ticked] == [EVERYONE_ADDS]


def workspace_holidays(container, team: str = "T0001") -> tuple[str | None, str | None]:
    with container.sessions() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.team_id == team))
        return workspace.holiday_country, workspace.holiday_subdivision


def test_admin_holidays_is_a_shortcut_to_the_same_default(slack, fake_slack, container, people):
    before = len(fake_slack.calls_to("response_url"))
    slack.command("admin holidays US CA", user=ADMIN)
    assert "no reminders on the public holidays" in last_reply(fake_slack, before)
    assert workspace_holidays(container) == ("US", "CA")
    form = defaults_form(slack, fake_slack)  # the modal shows it, and saving keeps it
    assert form[HOLIDAY_COUNTRY_BLOCK][HOLIDAY_COUNTRY_BLOCK]["selected_option"]["value"] == "US"
    assert form[HOLIDAY_REGION_BLOCK][HOLIDAY_REGION_BLOCK]["value"] == "CA"
    save_defaults(slack, fake_slack)
    assert workspace_holidays(container) == ("US", "CA")
    slack.command("admin holidays off", user=ADMIN)
    wait_for(lambda: workspace_holidays(container) == (None, None))
    before = len(fake_slack.calls_to("response_url"))
    slack.command("admin holidays DE", user=MEMBER)
    assert "Only a workspace admin or owner" in last_reply(fake_slack, before)
    assert workspace_holidays(container) == (None, None)


def test_a_non_admin_changes_nothing_however_the_request_is_made(
    slack, fake_slack, container, people
):
    values = defaults_form(slack, fake_slack)  # a well-formed submission, from the admin's modal
    choose(values, CAP_BLOCK, selected_option=option("1"))
    reply = slack.view_submission(DEFAULTS_CALLBACK, values, user=MEMBER)
    assert reply.json() == {"response_action": "errors", "errors": {CAP_BLOCK: NOT_AN_ADMIN}}
    assert stored_defaults(container) == []

    opened = len(fake_slack.calls_to("views.open"))
    slack.action(EDIT_WORKSPACE_DEFAULTS, "edit", user=MEMBER)
    slack.action(OPEN_TEAM_VIEW, "team", user=MEMBER)
    wait_for(lambda: len(fake_slack.messages(MEMBER)) == 2)
    assert all(m["text"] == NOT_AN_ADMIN for m in fake_slack.messages(MEMBER))
    assert len(fake_slack.calls_to("views.open")) == opened

    for text in ("admin", "admin team"):
        before = len(fake_slack.calls_to("response_url"))
        slack.command(text, user=MEMBER)
        assert "Only admins and owners" in last_reply(fake_slack, before)
    assert len(fake_slack.calls_to("views.open")) == opened

    fake_slack.update_user(ADMIN, is_admin=False)  # demoted with the modal still open
    reply = slack.view_submission(DEFAULTS_CALLBACK, values, user=ADMIN)
    assert reply.json()["errors"] == {CAP_BLOCK: NOT_AN_ADMIN}
    assert stored_defaults(container) == []


def test_defaults_apply_to_new_people_only(slack, fake_slack, container, people):
    slack.command("settings", user=MEMBER)  # the member saves their own settings first
    values = initial_state(opened_view(fake_slack))
    choose(values, INTERVAL_BLOCK, selected_option=option("45"))
    assert slack.view_submission(SETTINGS_CALLBACK, values, user=MEMBER).status == 200
    wait_for(lambda: person(container, MEMBER).interval_minutes == 45)

    save_defaults(
        slack,
        fake_slack,
        **{
            MONDAY: {"value": "7-15"},
            SAME_AS_MONDAY_BLOCK: {"selected_options": [option("1")]},  # Tuesday too
            INTERVAL_BLOCK: {"selected_option": option("90")},
            PLACE_BLOCK: {"selected_option": option("home")},
        },
    )
    kept = person(container, MEMBER)
    assert (kept.interval_minutes, kept.place) == (45, "office")
    assert kept.work_pattern.startswith("09:00-17:00;")
    opt_in(slack, fake_slack, user="UNEW")
    new = person(container, "UNEW")
    assert (new.interval_minutes, new.place) == (90, "home")
    assert new.work_pattern == "07:00-15:00;07:00-15:00;09:00-17:00;09:00-17:00;09:00-17:00;;"
    before = len(fake_slack.calls_to("views.open"))
    slack.action(OPEN_SETTINGS, "settings", user="UNEW")  # and their Settings start there
    wait_for(lambda: len(fake_slack.calls_to("views.open")) > before)
    interval = initial_state(opened_view(fake_slack))[INTERVAL_BLOCK][INTERVAL_BLOCK]
    assert interval["selected_option"]["value"] == "90"


def test_the_workspace_cap_limits_reminders(slack, fake_slack, container, clock, people):
    save_defaults(slack, fake_slack, **{CAP_BLOCK: {"selected_option": option("1")}})
    opt_in(slack, fake_slack, user=MEMBER)
    for _ in range(4):
        run_tick_at(container, clock, person(container, MEMBER).next_nudge_at)
    assert len(posted_nudges(fake_slack, MEMBER)) == 1


def test_challenges_and_group_breaks_run_only_in_the_chosen_channels(
    slack, fake_slack, container, people
):
    fake_slack.add_channel(ALLOWED, name="wellbeing")
    save_defaults(slack, fake_slack, **{CHANNELS_BLOCK: {"selected_conversations": [ALLOWED]}})
    before = len(fake_slack.calls_to("response_url"))
    slack.command("challenge start", user=MEMBER, channel=CHANNEL)
    answer = last_reply(fake_slack, before)
    assert "only in" in answer and f"<#{ALLOWED}>" in answer
    before = len(fake_slack.calls_to("response_url"))
    slack.command("challenge start", user=MEMBER, channel=ALLOWED)
    last_reply(fake_slack, before)
    with container.sessions() as session:
        channels = list(session.scalars(select(Challenge.channel_id)))
    assert channels == [ALLOWED]
    fake_slack.add_channel(CHANNEL)
    before = len(fake_slack.calls_to("response_url"))
    slack.command("together", user=MEMBER, channel=CHANNEL)  # group breaks follow the same list
    answer = last_reply(fake_slack, before)
    assert "Group breaks can run only in" in answer and f"<#{ALLOWED}>" in answer
    before = len(fake_slack.calls_to("response_url"))
    slack.command("together", user=MEMBER, channel=ALLOWED)
    assert "Group break posted" in last_reply(fake_slack, before)
    with container.sessions() as session:
        assert list(session.scalars(select(GroupBreak.channel_id))) == [ALLOWED]


def add_done_breaks(container, clock, team: str, count: int, exercise: str, days_ago: int):
    """`count` people of `team`, each with two Dones of `exercise` at 10:00 UTC, `days_ago`."""
    now = clock.now()
    with container.sessions.begin() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.team_id == team))
        if workspace is None:
            workspace = Workspace(team_id=team, enterprise_id="", created_at=now)
            session.add(workspace)
            session.flush()
        taken = session.scalar(select(func.count()).select_from(Person)) or 0
        for n in range(count):
            someone = Person(
                workspace_id=workspace.id,
                slack_user_id=f"UT{taken + n}",
                tz="Europe/Berlin",
                created_at=now,
                reminders_on=True,
            )
            session.add(someone)
            session.flush()
            for k in range(2):
                session.add(
                    Completion(
                        person_id=someone.id,
                        exercise_id=exercise,
                        source="nudge",
                        completed_at=(now - timedelta(days=days_ago)).replace(hour=10, minute=k),
                        dedupe_key=f"test:{someone.id}:{k}",
                    )
                )


def team_view(slack, fake_slack, user: str = ADMIN, team: str = "T0001") -> str:
    before = len(fake_slack.calls_to("response_url"))
    slack.command("admin team", user=user, team=team)
    return last_reply(fake_slack, before)


def test_the_team_view_counts_groups_of_five_or_more(slack, fake_slack, container, clock, people):
    library = container.services.stretches.libraries.seed
    popular, rare = library.exercises[0], library.exercises[1]
    add_done_breaks(container, clock, "T0001", 6, popular.id, days_ago=0)  # this week
    add_done_breaks(container, clock, "T0001", 3, rare.id, days_ago=7)  # last week
    answer = team_view(slack, fake_slack)
    assert "*Reminders on:* 9" in answer
    assert "Week of Mon 23 Nov: 12" in answer
    assert f"Week of Mon 16 Nov: {TOO_FEW}" in answer
    assert "11:00 (18)" in answer  # 10:00 UTC is 11:00 in Berlin, for all nine
    assert f"{popular.title}: 12" in answer and rare.title not in answer

    before = len(fake_slack.calls_to("views.open"))
    slack.action(OPEN_TEAM_VIEW, "team", user=ADMIN)  # the same numbers from the Home button
    wait_for(lambda: len(fake_slack.calls_to("views.open")) > before)
    view = opened_view(fake_slack)
    assert f"{popular.title}: 12" in str(view) and view_problems(view) == []


def test_the_team_view_of_a_small_team_shows_no_numbers(
    slack, fake_slack, container, clock, people
):
    add_done_breaks(
        container, clock, "T0001", 4, container.services.stretches.libraries.seed.exercises[0].id, 0
    )
    answer = team_view(slack, fake_slack)
    assert f"*Reminders on:* {TOO_FEW}" in answer
    assert ": 8" not in answer and "(8)" not in answer
    assert answer.count(TOO_FEW) == 3 + 8 + 1  # reminders, hours, exercises, weeks; the note


def test_two_workspaces_never_see_each_others_defaults_or_numbers(
    slack, fake_slack, container, clock, people
):
    fake_slack.add_user(OTHER_ADMIN, team_id=OTHER_TEAM, is_admin=True)
    save_defaults(
        slack,
        fake_slack,
        user=OTHER_ADMIN,
        team=OTHER_TEAM,
        **{
            CAP_BLOCK: {"selected_option": option("2")},
            CHANNELS_BLOCK: {"selected_conversations": [ALLOWED]},
        },
    )
    add_done_breaks(container, clock, OTHER_TEAM, 6, "neck-tilt", days_ago=0)
    ours = defaults_form(slack, fake_slack)
    assert ours[CAP_BLOCK][CAP_BLOCK]["selected_option"]["value"] == "8"
    assert ours[CHANNELS_BLOCK][CHANNELS_BLOCK]["selected_conversations"] == []
    assert "*Reminders on:* " + TOO_FEW in team_view(slack, fake_slack)
    assert "*Reminders on:* 6" in team_view(slack, fake_slack, OTHER_ADMIN, OTHER_TEAM)
    before = len(fake_slack.calls_to("response_url"))
    slack.command("challenge start", user=MEMBER, channel=CHANNEL)  # not limited here
    assert "only in" not in last_reply(fake_slack, before)


def test_the_admin_command_opens_the_defaults_or_explains_itself(slack, fake_slack, people):
    slack.command("admin", user=ADMIN)
    wait_for(lambda: fake_slack.calls_to("views.open"))
    assert opened_view(fake_slack)["callback_id"] == DEFAULTS_CALLBACK
    before = len(fake_slack.calls_to("response_url"))
    slack.command("admin everything", user=ADMIN)
    answer = last_reply(fake_slack, before)
    assert "/stretch admin team" in answer and "/stretch admin holidays" in answer
