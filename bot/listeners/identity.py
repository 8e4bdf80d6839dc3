"""Who a request is from, read one way for every kind of request Slack sends.

Slack puts a person's user id, workspace and Enterprise Grid org in different places depending
on the request: a slash command has `user_id`, `team_id` and `enterprise_id`; a button click or
view submission has `user.id`, `user.team_id`, `team.id` (null for an org-wide install) and the
org as `enterprise.id`, or only as `team.enterprise_id`; an event has `event.user` (an id, or
for `user_change` the whole user), the envelope's `team_id` and `enterprise_id`, and
`authorizations` naming the installation (for an org-wide one, the org and no team).

`person_of` reads them in the order Bolt's own context does (`slack_bolt.request.internals`),
with one difference that matters in Slack Connect channels: it prefers the person's *own* team
(`user.team_id`) over the installation's, so that someone from another company is keyed by
their workspace and org, not by the channel host's. Reading identity anywhere else would let
the same human become two people depending on what they clicked.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.people import SlackUser
from bot.listeners.payloads import Json, mapping, text
from bot.slack.profiles import ClientProfile, profile_of


def _first(*candidates: object) -> str:
    return next((value for value in candidates if isinstance(value, str) and value), "")


def _authorization(body: Json) -> Json:
    authorizations = body.get("authorizations")
    return mapping(authorizations[0]) if isinstance(authorizations, list) and authorizations else {}


def person_of(body: Json) -> SlackUser:
    """The person behind a command, a block action, a view submission or an event."""
    if "command" in body:
        return SlackUser(
            team_id=text(body.get("team_id")),
            user_id=text(body.get("user_id")),
            enterprise_id=text(body.get("enterprise_id")),
        )
    if body.get("type") == "event_callback":
        return _event_person(body)
    user, team = mapping(body.get("user")), mapping(body.get("team"))
    return SlackUser(
        team_id=_first(
            user.get("team_id"), team.get("id"), mapping(body.get("view")).get("team_id")
        ),
        user_id=text(user.get("id")),
        enterprise_id=_first(
            mapping(body.get("enterprise")).get("id"),
            body.get("enterprise"),  # a bare id in some older payloads
            team.get("enterprise_id"),
            body.get("enterprise_id"),
            _authorization(body).get("enterprise_id"),
        ),
    )


def _event_person(body: Json) -> SlackUser:
    """`app_home_opened` and `dnd_updated_user` name the user by id; `user_change` sends the
    whole user, whose Grid org is in `enterprise_user`. The envelope's `enterprise_id` is the
    person's org; `authorizations` name the installation's, the same outside Slack Connect."""
    event = mapping(body.get("event"))
    user = event.get("user")
    user_object = mapping(user)
    authorization = _authorization(body)
    return SlackUser(
        team_id=_first(
            user_object.get("team_id"), body.get("team_id"), authorization.get("team_id")
        ),
        user_id=_first(user, user_object.get("id")),
        enterprise_id=_first(
            mapping(user_object.get("enterprise_user")).get("enterprise_id"),
            body.get("enterprise_id"),
            authorization.get("enterprise_id"),
        ),
    )


def channel_of(body: Json) -> str:
    """The channel a click came from: where the clicked message is."""
    return _first(
        mapping(body.get("container")).get("channel_id"), mapping(body.get("channel")).get("id")
    )


def clicker(body: Json, client: WebClient) -> tuple[SlackUser, ClientProfile]:
    """The clicking (or submitting) person, and their Slack profile for the use cases to read."""
    who = person_of(body)
    return who, profile_of(client, who.user_id)
