"""The team library through the real app, with signed requests and the fake Slack: adding
(admins; everyone once allowed; non-admins refused however the request is made), editing,
hiding, deleting, export and import, team exercises in `/stretch`, a nudge and a challenge, two
workspaces side by side, and `forget me`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.blocks.ids import (
    FORGET_ME,
    GUIDE_DONE,
    GUIDE_NEXT,
    GUIDE_START,
    LIBRARY_DELETE,
    LIBRARY_EDIT,
    LIBRARY_HIDE,
    LIBRARY_MANAGE,
    NOT_FOR_ME,
)
from bot.blocks.team_library import IMPORT_BLOCK, IMPORT_CALLBACK
from bot.blocks.team_library_form import ADD_CALLBACK, EDIT_CALLBACK
from bot.db.models import ChallengeDay, Completion, TeamExercise
from bot.db.team_library import library_changed
from tests.domain.test_team_library import form_values
from tests.http.test_fit_http import card_title, choose_in_settings
from tests.http.test_guided import Clicks, step_of, value_of
from tests.support.answers import ack_body, button, initial_state, opened_view
from tests.support.challenges import CHANNEL
from tests.support.reminder_helpers import (
    nudges,
    opt_in,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import message_problems

ADMIN, MEMBER, OTHER_TEAM = "U0001", "U0002", "T0002"


@pytest.fixture
def people(fake_slack):
    fake_slack.add_user(ADMIN, is_admin=True)
    fake_slack.add_user(MEMBER)


def responses(fake_slack) -> list[dict]:
    return [call.params for call in fake_slack.calls_to("response_url")]


def answer_to(slack, fake_slack, text: str, user: str = ADMIN, team: str = "T0001") -> dict:
    """The answer `/stretch <text>` sent after its ack (to the response_url)."""
    before = len(responses(fake_slack))
    assert slack.command(text, user=user, team=team).status == 200
    wait_for(lambda: len(responses(fake_slack)) > before)
    answer = responses(fake_slack)[-1]
    assert message_problems(answer) == []
    return answer


def add(slack, fake_slack, user: str = ADMIN, view_id: str = "V0001", **fields) -> object:
    """Open the Add modal through `/stretch library add`, fill it in and submit it."""
    answer_to_open = len(fake_slack.calls_to("views.open"))
    slack.command("library add", user=user)
    wait_for(lambda: len(fake_slack.calls_to("views.open")) > answer_to_open)
    assert opened_view(fake_slack)["callback_id"] == ADD_CALLBACK
    return slack.view_submission(ADD_CALLBACK, form_values(**fields), user=user, view_id=view_id)


def team_rows(container) -> list[TeamExercise]:
    with container.sessions() as session:
        return list(session.scalars(select(TeamExercise).order_by(TeamExercise.id)))


def dm_texts(fake_slack, user: str) -> list[str]:
    return [m["text"] for m in fake_slack.messages(user)]


def test_an_admin_adds_an_exercise_and_a_retried_submission_saves_it_once(
    slack, fake_slack, container, people
):
    for _ in range(2):  # Slack retried, or a double click
        reply = add(slack, fake_slack, title="Wrist circles")
        assert reply.status == 200 and reply.body in ("", "{}")
    wait_for(lambda: len(fake_slack.messages(ADMIN)) == 2)
    [row] = team_rows(container)
    assert (row.exercise_id, row.author_user_id) == ("wrist-circles", ADMIN)
    assert "Wrist circles* added to the team library" in dm_texts(fake_slack, ADMIN)[0]

    card = ack_body(slack.command("wrists"))  # search by words
    assert card["blocks"][0]["text"]["text"] == "Wrist circles"
    assert f"Added by <@{ADMIN}>" in json.dumps(card)
    assert "Wrist circles" in json.dumps(ack_body(slack.command("list")))


def test_bad_input_is_shown_on_the_fields_and_saves_nothing(slack, fake_slack, container, people):
    reply = add(slack, fake_slack, steps="1. Numbered", repetitions="lots", why="<!channel>")
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"steps", "repetitions"}  # the content model's checks
    reply = add(slack, fake_slack, why="<!channel> now")  # then what a card can show
    assert set(reply.json()["errors"]) == {"why"}
    assert team_rows(container) == []


def test_a_member_is_refused_until_an_admin_lets_everyone_add(slack, fake_slack, container, people):
    refused = answer_to(slack, fake_slack, "library add", user=MEMBER)
    assert "Only workspace admins can add exercises" in refused["text"]
    # A forged submission of the Add modal, never opened for them: refused on the form.
    forged = slack.view_submission(ADD_CALLBACK, form_values(), user=MEMBER)
    assert "Only workspace admins" in forged.json()["errors"]["title"]
    assert "admin" in answer_to(slack, fake_slack, "library everyone on", user=MEMBER)["text"]
    assert team_rows(container) == []

    assert "Everyone" in answer_to(slack, fake_slack, "library everyone on")["text"]
    assert add(slack, fake_slack, user=MEMBER, view_id="V0002").status == 200
    wait_for(lambda: len(team_rows(container)) == 1)
    assert team_rows(container)[0].author_user_id == MEMBER
    answer_to(slack, fake_slack, "library everyone off")
    assert "Only workspace admins" in forged_again(slack)


def forged_again(slack) -> str:
    reply = slack.view_submission(ADD_CALLBACK, form_values(), user=MEMBER, view_id="V0003")
    return reply.json()["errors"]["title"]


def test_edit_hide_and_delete_from_the_library_view(slack, fake_slack, container, people):
    answer_to(slack, fake_slack, "library everyone on")
    add(slack, fake_slack, user=MEMBER, title="Wrist circles")
    view = answer_to(slack, fake_slack, "library", user=MEMBER)
    value = button(view, LIBRARY_EDIT)["value"]
    assert json.loads(value) == {"exercise": "wrist-circles"}
    assert button(view, LIBRARY_DELETE)["confirm"]  # Slack asks before deleting

    # Edit: the modal opens filled in; the author saves a change.
    slack.action(LIBRARY_EDIT, value, user=MEMBER)
    wait_for(lambda: opened_view(fake_slack)["callback_id"] == EDIT_CALLBACK)
    edit_view = opened_view(fake_slack)
    values = initial_state(edit_view)
    values["title"]["title"]["value"] = "Wrist circles, slowly"
    reply = slack.view_submission(
        EDIT_CALLBACK, values, user=MEMBER, private_metadata=edit_view["private_metadata"]
    )
    assert reply.status == 200 and reply.body in ("", "{}")
    assert "Wrist circles, slowly" in json.dumps(ack_body(slack.command("wrists")))

    # Someone else (not the author, not an admin) can neither edit nor delete nor hide it.
    fake_slack.add_user("U0003")
    forged = slack.view_submission(
        EDIT_CALLBACK, values, user="U0003", private_metadata="wrist-circles"
    )
    assert "Only the person who added" in forged.json()["errors"]["title"]
    for action in (LIBRARY_DELETE, LIBRARY_HIDE):
        before = len(responses(fake_slack))
        slack.action(action, value, user="U0003")
        wait_for(lambda b=before: len(responses(fake_slack)) > b)
        assert "Only the person who added" in responses(fake_slack)[-1]["text"]
    assert "U0003" not in str(team_rows(container)[0].content)
    assert len(team_rows(container)) == 1

    # Hide: gone from /stretch and the list, shown as hidden in the library view.
    before = len(responses(fake_slack))
    slack.action(LIBRARY_HIDE, value, user=MEMBER)
    wait_for(lambda: len(responses(fake_slack)) > before)
    assert "_hidden_" in json.dumps(responses(fake_slack)[-1])
    assert "Wrist circles" not in json.dumps(ack_body(slack.command("list")))

    # Delete (the admin may too): gone for good.
    before = len(responses(fake_slack))
    slack.action(LIBRARY_DELETE, value, user=ADMIN)
    wait_for(lambda: len(responses(fake_slack)) > before)
    assert team_rows(container) == []


def test_an_admin_hides_seed_exercises_and_a_member_cannot(slack, fake_slack, container, people):
    seed = container.services.stretches.libraries.seed.exercises[0]
    value = json.dumps({"exercise": seed.id})
    slack.action(LIBRARY_HIDE, value, user=MEMBER)
    wait_for(lambda: responses(fake_slack))
    assert "Only a workspace admin" in responses(fake_slack)[-1]["text"]
    assert seed.title in json.dumps(ack_body(slack.command("list")))
    slack.action(LIBRARY_HIDE, value, user=ADMIN)
    wait_for(lambda: len(responses(fake_slack)) == 2)
    assert seed.title not in json.dumps(ack_body(slack.command("list")))
    view = answer_to(slack, fake_slack, "library", user=MEMBER)
    assert LIBRARY_HIDE not in json.dumps(view)  # members see no Hide for the seed


def hide_the_seed(slack, fake_slack, container) -> None:
    for exercise in container.services.stretches.libraries.seed.exercises:
        slack.action(LIBRARY_HIDE, json.dumps({"exercise": exercise.id}), user=ADMIN)
    seed = container.services.stretches.libraries.seed.exercises
    wait_for(lambda: len(responses(fake_slack)) >= len(seed))


def test_team_exercises_reach_stretch_a_nudge_and_a_challenge(
    slack, fake_slack, container, clock, people
):
    add(slack, fake_slack, title="Wrist circles", physio=["yes"])
    hide_the_seed(slack, fake_slack, container)  # the team's exercise is the only one left
    card = ack_body(slack.command("", user=MEMBER))
    assert card["blocks"][0]["text"]["text"] == "Wrist circles"
    assert "From your physio" in json.dumps(card)

    opt_in(slack, fake_slack, user=MEMBER)
    for _ in range(12):  # a nudge is sometimes a movement break: the next slot, then
        run_tick_at(container, clock, person(container, MEMBER).next_nudge_at)
        if any(n.exercise_id for n in nudges(container, MEMBER)):
            break
    [exercise_nudge] = [
        m for m in posted_nudges(fake_slack, MEMBER) if "Time to stretch" in m["text"]
    ]
    assert "Wrist circles" in exercise_nudge["text"]
    assert "From your physio" in json.dumps(exercise_nudge["blocks"])

    fake_slack.add_channel(CHANNEL, is_member=True)
    slack.command("challenge start 3 days", channel=CHANNEL)
    wait_for(lambda: count(container, ChallengeDay) == 3)
    with container.sessions() as session:
        assert set(session.scalars(select(ChallengeDay.exercise_id))) == {"wrist-circles"}


def count(container, model) -> int:
    with container.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_team_exercises_follow_the_fit_rules(slack, fake_slack, container, people):
    """A team exercise is never offered to someone who ruled out what it loads, or hid it."""
    add(slack, fake_slack, title="Wrist circles")  # loads the wrists
    neck = {"body_areas": "neck", "muscles": "neck rotators", "why": "Eases a stiff neck."}
    add(slack, fake_slack, view_id="V0002", title="Neck turns", loads=[], **neck)
    wait_for(lambda: len(team_rows(container)) == 2)
    hide_the_seed(slack, fake_slack, container)  # the team's exercises are the only ones left
    choose_in_settings(slack, fake_slack, ["avoid_wrists"], user=MEMBER)

    titles = {card_title(ack_body(slack.command("", user=MEMBER))) for _ in range(6)}
    assert titles == {"Neck turns"}
    searched = ack_body(slack.command("wrists", user=MEMBER))
    assert "matches only what does not suit you" in searched["blocks"][0]["elements"][0]["text"]
    assert card_title(searched) == "Neck turns"
    assert "Not suggested to you" in json.dumps(ack_body(slack.command("list", user=MEMBER)))

    card = ack_body(slack.command("", user=MEMBER))
    slack.action(NOT_FOR_ME, button(card, NOT_FOR_ME)["value"], user=MEMBER)
    wait_for(lambda: responses(fake_slack))
    assert "Neck turns" not in card_title(responses(fake_slack)[-1])  # named as hidden, no card
    after = json.dumps(ack_body(slack.command("", user=MEMBER)))
    assert "Neck turns" not in after and "Wrist circles" not in after


def test_a_team_exercise_is_guided_and_its_done_counts(slack, fake_slack, container, people):
    add(slack, fake_slack, title="Wrist circles")
    hide_the_seed(slack, fake_slack, container)
    card = ack_body(slack.command("", user=MEMBER))
    assert card_title(card) == "Wrist circles"
    clicks = Clicks(slack, fake_slack)
    url = clicks.click(GUIDE_START, button(card, GUIDE_START)["value"], user=MEMBER)
    step = clicks.answers_on(url)[-1]
    assert step_of(step).startswith("*Step 1 of")
    while GUIDE_DONE not in json.dumps(step):
        step = clicks.answers_on(clicks.click(GUIDE_NEXT, value_of(step, GUIDE_NEXT), user=MEMBER))[
            -1
        ]
    clicks.click(GUIDE_DONE, value_of(step, GUIDE_DONE), user=MEMBER)
    with container.sessions() as session:
        assert list(session.scalars(select(Completion.exercise_id))) == ["wrist-circles"]


def test_two_workspaces_never_see_each_others_exercises(slack, fake_slack, container, people):
    add(slack, fake_slack, title="Wrist circles")
    wait_for(lambda: team_rows(container))
    fake_slack.add_user("U0009", team_id=OTHER_TEAM, is_admin=True)
    elsewhere = ack_body(slack.command("wrists", user="U0009", team=OTHER_TEAM))
    assert "Wrist circles" not in json.dumps(elsewhere)
    assert "Wrist circles" not in json.dumps(ack_body(slack.command("list", team=OTHER_TEAM)))
    view = answer_to(slack, fake_slack, "library", user="U0009", team=OTHER_TEAM)
    assert "Wrist circles" not in json.dumps(view)
    # Its admin cannot reach ours with a forged value, nor start it from a card button.
    value = json.dumps({"exercise": "wrist-circles"})
    slack.action(LIBRARY_DELETE, value, user="U0009", team=OTHER_TEAM)
    wait_for(lambda: "isn't in this workspace" in responses(fake_slack)[-1].get("text", ""))
    assert len(team_rows(container)) == 1
    assert (
        slack.action("exercise_start", "wrist-circles", user="U0009", team=OTHER_TEAM).status == 200
    )
    wait_for(lambda: "older version" in responses(fake_slack)[-1].get("text", ""))
    # Its own exercise with the same title gets the same id, and stays its own.
    fake_slack.add_user("U0009", team_id=OTHER_TEAM, is_admin=True)
    slack.command("library add", user="U0009", team=OTHER_TEAM)
    slack.view_submission(
        ADD_CALLBACK,
        form_values(title="Wrist circles", why="Theirs."),
        user="U0009",
        team=OTHER_TEAM,
        view_id="V0100",
    )
    wait_for(lambda: len(team_rows(container)) == 2)
    mine = ack_body(slack.command("wrists"))
    assert "Theirs." not in json.dumps(mine)


def test_export_then_import_round_trips_and_bad_entries_are_named(
    slack, fake_slack, container, people
):
    nothing = answer_to(slack, fake_slack, "library export")
    assert "no exercises of its own" in nothing["text"]
    add(slack, fake_slack, title="Wrist circles", physio=["yes"])
    add(slack, fake_slack, title="Neck tilts", body_areas="neck", view_id="V0002")
    wait_for(lambda: len(team_rows(container)) == 2)
    assert "direct messages" in answer_to(slack, fake_slack, "library export")["text"]
    [exported] = fake_slack.uploaded_files(ADMIN)
    assert exported["name"] == "stretch-team-library.yaml"
    yaml_text = exported["content"]
    assert "id: wrist-circles" in yaml_text and "credit: From your physio" in yaml_text

    # A member may not import; a forged submission of the import modal is refused too.
    assert "admin" in answer_to(slack, fake_slack, "library import", user=MEMBER)["text"]
    forged = slack.view_submission(
        IMPORT_CALLBACK, {IMPORT_BLOCK: {IMPORT_BLOCK: {"value": yaml_text}}}, user=MEMBER
    )
    assert "Only a workspace admin" in forged.json()["errors"][IMPORT_BLOCK]

    # A bad file: every problem by entry and field, nothing saved.
    slack.command("library import")
    wait_for(lambda: opened_view(fake_slack)["callback_id"] == IMPORT_CALLBACK)
    bad = yaml_text.replace("id: neck-tilts", "id: seated-lumbar-stretch").replace(
        "minutes: 2", "minutes: 99", 1
    )
    reply = slack.view_submission(IMPORT_CALLBACK, {IMPORT_BLOCK: {IMPORT_BLOCK: {"value": bad}}})
    error = reply.json()["errors"][IMPORT_BLOCK]
    assert "entry 1 (wrist-circles): minutes:" in error
    assert "entry 2 (seated-lumbar-stretch): id:" in error
    wait_for(lambda: any("Nothing was imported" in t for t in dm_texts(fake_slack, ADMIN)))

    # The round trip: delete both, import the export, the same exercises are back.
    before = {r.exercise_id: json.loads(r.content) for r in team_rows(container)}
    for exercise_id in before:
        slack.action(LIBRARY_DELETE, json.dumps({"exercise": exercise_id}), user=ADMIN)
    wait_for(lambda: team_rows(container) == [])
    reply = slack.view_submission(
        IMPORT_CALLBACK, {IMPORT_BLOCK: {IMPORT_BLOCK: {"value": yaml_text}}}, view_id="V0009"
    )
    assert reply.status == 200 and reply.body in ("", "{}")
    after = {r.exercise_id: json.loads(r.content) for r in team_rows(container)}
    assert after == before
    assert [r.from_physio for r in team_rows(container)] == [True, False]
    wait_for(lambda: any("2 added, 0 replaced" in t for t in dm_texts(fake_slack, ADMIN)))


def test_forget_me_hands_authored_exercises_to_the_workspace(slack, fake_slack, container, people):
    answer_to(slack, fake_slack, "library everyone on")
    add(slack, fake_slack, user=MEMBER, title="Wrist circles")
    ack_body(slack.command("", user=MEMBER))  # a person row to delete, too
    slack.action(FORGET_ME, "confirm", user=MEMBER)
    wait_for(lambda: team_rows(container)[0].author_user_id is None)
    card = json.dumps(ack_body(slack.command("wrists")))
    assert "Added by a former member" in card and MEMBER not in card
    view = answer_to(slack, fake_slack, "library")  # the admin still manages it
    assert json.loads(button(view, LIBRARY_EDIT)["value"]) == {"exercise": "wrist-circles"}


def test_the_home_tab_opens_the_library_view_in_the_dm(slack, fake_slack, container, people):
    slack.event({"type": "app_home_opened", "user": ADMIN, "tab": "home", "event_ts": "1.0"})
    wait_for(lambda: fake_slack.home(ADMIN) is not None)
    assert LIBRARY_MANAGE in json.dumps(fake_slack.home(ADMIN))
    slack.action(LIBRARY_MANAGE, "manage", container={"type": "view", "view_id": "V0001"})
    wait_for(lambda: any("Team library" in t for t in dm_texts(fake_slack, ADMIN)))
    assert fake_slack.rejections == []


def test_unknown_library_commands_get_the_usage(slack, fake_slack, people):
    answer = answer_to(slack, fake_slack, "library dance")
    assert "/stretch library add" in answer["text"]
    assert ack_body(slack.command("help"))["text"]


def test_an_export_slack_refuses_gets_a_clear_answer(slack, fake_slack, container, people):
    add(slack, fake_slack, title="Wrist circles")
    wait_for(lambda: team_rows(container))
    fake_slack.set_error("files.getUploadURLExternal", "missing_scope")  # installed before
    answer = answer_to(slack, fake_slack, "library export")
    assert "reinstall the app" in answer["text"] and "files:write" in answer["text"]
    assert fake_slack.uploaded_files(ADMIN) == []


def test_a_stored_exercise_the_model_no_longer_accepts_is_left_out(
    slack, fake_slack, container, people
):
    add(slack, fake_slack, title="Wrist circles")
    add(slack, fake_slack, title="Neck tilts", view_id="V0002")
    wait_for(lambda: len(team_rows(container)) == 2)
    with container.sessions.begin() as session:  # as if the model gained a required field
        row = session.scalar(select(TeamExercise).where(TeamExercise.exercise_id == "neck-tilts"))
        row.content = json.dumps(json.loads(row.content) | {"minutes": None})
        library_changed(session, row.workspace_id)
    listed = json.dumps(ack_body(slack.command("list")))
    assert "Wrist circles" in listed and "Neck tilts" not in listed
