"""A person's language through the real app: Slack's locale (`es-ES`) makes `/stretch`, a nudge,
the Home tab and the Settings modal Spanish; `/stretch language de` and the Settings select
choose another, `auto` follows Slack again; a challenge speaks its starter's language to
everyone in the channel; an admin sets the workspace's default.

Expected texts come from the catalogs (`with speaking("es"): _("Done")`), each checked to be a
translation, so the tests keep their meaning as the catalogs grow."""

from __future__ import annotations

from datetime import timedelta

from bot.blocks.admin import DEFAULTS_CALLBACK
from bot.blocks.ids import CHALLENGE_JOIN, DONE, EDIT_WORKSPACE_DEFAULTS
from bot.blocks.language_settings import LANGUAGE_BLOCK
from bot.blocks.settings import SETTINGS_CALLBACK
from bot.db.models import Challenge
from bot.domain.i18n import _, speaking
from bot.domain.people import SlackUser
from tests.support.answers import ack_body, button, button_value, initial_state, opened_view
from tests.support.challenges import CHANNEL, channel_posts
from tests.support.reminder_helpers import (
    language_reads,
    person,
    posted_nudges,
    run_tick_at,
    wait_for,
)
from tests.support.slack_limits import message_problems, view_problems

SPANISH, GERMAN = "U0001", "U0002"


def translated(language: str, message: str, **values: object) -> str:
    """`message` in `language`, which must have a translation for it."""
    with speaking(language):
        text = _(message, **values)
    assert text != message.format(**values), f"no {language} translation of {message!r}"
    return text


def spanish_speaker(fake_slack, user: str = SPANISH) -> None:
    fake_slack.add_user(user, tz="Europe/Madrid", locale="es-ES")


def last_response(fake_slack, before: int) -> str:
    wait_for(lambda: len(fake_slack.calls_to("response_url")) > before)
    return fake_slack.calls_to("response_url")[-1].params.get("text", "")


def test_slack_locale_makes_stretch_spanish_with_one_language_read(slack, fake_slack, container):
    spanish_speaker(fake_slack)
    body = ack_body(slack.command(""))  # someone the app keeps no row for: Slack is asked
    assert button(body, DONE)["text"]["text"] == translated("es", "Done")
    [asked] = fake_slack.calls_to("users.info")
    assert asked.params["include_locale"] in ("1", "true", "True")
    ack_body(slack.command(""))
    assert len(fake_slack.calls_to("users.info")) == 1  # and remembered

    assert slack.command("on").status == 200  # now they have a row, with Slack's locale on it
    assert person(container).slack_locale == "es-ES" and person(container).language is None
    with language_reads(container) as reads:
        body = ack_body(slack.command(""))
    assert len(reads) == 1
    assert button(body, DONE)["text"]["text"] == translated("es", "Done")
    assert message_problems(body) == []


def test_a_nudge_speaks_the_persons_language(slack, fake_slack, container, clock):
    spanish_speaker(fake_slack)
    assert slack.command("on").status == 200
    run_tick_at(container, clock, person(container).next_nudge_at)
    [nudge] = posted_nudges(fake_slack)
    assert translated("es", "Time for a movement break!") in nudge["text"]
    assert message_problems(nudge) == []


def test_the_home_tab_and_settings_modal_are_spanish(slack, fake_slack):
    spanish_speaker(fake_slack)
    before = len(fake_slack.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": SPANISH, "tab": "home", "event_ts": "1.0"})
    wait_for(lambda: len(fake_slack.calls_to("views.publish")) > before)
    home = fake_slack.calls_to("views.publish")[-1].params["view"]
    assert translated("es", "*Your progress*") in str(home)
    assert view_problems(home) == []

    slack.command("settings")
    view = opened_view(fake_slack)
    assert view["title"]["text"] == translated("es", "Stretch settings")
    [language] = [block for block in view["blocks"] if block.get("block_id") == LANGUAGE_BLOCK]
    assert language["label"]["text"] == translated("es", "Language")
    assert language["element"]["initial_option"]["text"]["text"] == translated(
        "es", "Slack's language ({name})", name="Español"
    )
    assert view_problems(view) == []


def test_stretch_language_switches_to_german_and_back_to_slack(slack, fake_slack, container):
    spanish_speaker(fake_slack)
    listing = ack_body(slack.command("language"))["text"]
    assert (
        translated(
            "es", "I speak to you in *{name}*, your Slack language. Choose another:", name="Español"
        )
        in listing
    )
    assert "`/stretch language de`" in listing and "日本語" in listing

    for typed in ("de", "Deutsch", "german"):  # the same choice again changes nothing
        answer = ack_body(slack.command(f"language {typed}"))["text"]
        assert answer == translated(
            "de", "From now on I'll speak to you in *{name}*.", name="Deutsch"
        )
        assert person(container).language == "de"
    body = ack_body(slack.command(""))
    assert button(body, DONE)["text"]["text"] == translated("de", "Done")

    answer = ack_body(slack.command("language auto"))["text"]
    assert answer == translated("es", "I'll follow your Slack language: *{name}*.", name="Español")
    assert person(container).language is None
    assert button(ack_body(slack.command("")), DONE)["text"]["text"] == translated("es", "Done")


def test_an_unknown_language_gets_the_choices(slack, fake_slack, container):
    spanish_speaker(fake_slack)
    answer = ack_body(slack.command("language klingon <!here>"))["text"]
    assert (
        translated("es", "I don't speak “{typed}”. I can speak:", typed="klingon &lt;!here&gt;")
        in answer
    )
    assert "`/stretch language pt-br`" in answer and "Deutsch" in answer
    assert person(container).language is None


def test_the_settings_select_chooses_the_language(slack, fake_slack, container):
    spanish_speaker(fake_slack)
    slack.command("settings")
    values = initial_state(opened_view(fake_slack))
    values[LANGUAGE_BLOCK][LANGUAGE_BLOCK]["selected_option"] = {"value": "de"}
    reply = slack.view_submission(SETTINGS_CALLBACK, values)
    assert reply.status == 200 and reply.body in ("", "{}"), reply.body
    wait_for(lambda: person(container).language == "de")  # saved after the ack

    values[LANGUAGE_BLOCK][LANGUAGE_BLOCK]["selected_option"] = {"value": "tlh"}  # forged
    reply = slack.view_submission(SETTINGS_CALLBACK, values)
    assert reply.json()["errors"] == {
        LANGUAGE_BLOCK: translated("de", "Choose a language from the list.")
    }


def test_a_challenge_speaks_its_starters_language_to_everyone(slack, fake_slack, container, clock):
    spanish_speaker(fake_slack)
    fake_slack.add_user(GERMAN, tz="Europe/Berlin", locale="de-DE")
    fake_slack.add_channel(CHANNEL, is_member=True)
    before = len(fake_slack.calls_to("response_url"))
    slack.command("challenge start 3 days at 14:00", user=GERMAN, channel=CHANNEL)
    last_response(fake_slack, before)
    [announcement] = channel_posts(fake_slack)
    assert translated("de", ":trophy: Stretch challenge") in str(announcement["blocks"][0])
    assert button(announcement, CHALLENGE_JOIN)["text"]["text"] == translated("de", "Join")
    with container.sessions() as session:
        assert session.query(Challenge.language).scalar() == "de"

    before = len(fake_slack.calls_to("response_url"))
    slack.action(CHALLENGE_JOIN, button_value(announcement, CHALLENGE_JOIN), user=SPANISH)
    last_response(fake_slack, before)
    run_tick_at(container, clock, clock.now() + timedelta(minutes=1))  # the leaderboard's update
    [updated] = channel_posts(fake_slack)
    assert f"<@{SPANISH}>" in str(updated["blocks"])  # the Spanish speaker joined…
    assert translated("de", ":trophy: Stretch challenge") in str(updated["blocks"][0])  # …in German
    assert button(updated, CHALLENGE_JOIN)["text"]["text"] == translated("de", "Join")


def test_the_workspace_default_speaks_to_people_slack_cannot_place(slack, fake_slack, container):
    fake_slack.add_user("UADMIN", is_admin=True)
    fake_slack.add_user("U0003", locale="ko-KR")  # a language the app does not speak
    slack.action(EDIT_WORKSPACE_DEFAULTS, "edit", user="UADMIN")
    wait_for(lambda: fake_slack.calls_to("views.open"))
    view = opened_view(fake_slack)
    values = initial_state(view)
    assert values[LANGUAGE_BLOCK][LANGUAGE_BLOCK]["selected_option"]["value"] == "en"
    values[LANGUAGE_BLOCK][LANGUAGE_BLOCK]["selected_option"] = {"value": "es"}
    reply = slack.view_submission(DEFAULTS_CALLBACK, values, user="UADMIN")
    assert reply.status == 200 and reply.body in ("", "{}"), reply.body

    body = ack_body(slack.command("", user="U0003"))
    assert button(body, DONE)["text"]["text"] == translated("es", "Done")
    assert slack.command("on", user="U0003").status == 200  # their row, with Slack's locale
    korean = SlackUser("T0001", "U0003")
    assert container.services.people.speech_of(korean, lambda: None) == ("es", "ko-KR")
