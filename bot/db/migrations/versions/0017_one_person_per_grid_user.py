"""one person per Enterprise Grid user

Revision ID: 0017
Revises: 0011

People used to be keyed by the workspace row a request named, and requests named it differently:
commands and most clicks as (org, team), events as (no org, team), clicks whose org was only in
`team.enterprise_id` as (no org, team). So one Grid user could have a row in (E, T) and another in
("", T) — and, being one user id across the org, one more per workspace of the org they used.
A Grid person is now found by org and user id (`bot.db.people.find_person`); this merges the rows
the old keying created:

- A team that appears with an org anywhere belongs to that org: its rows without the org are the
  same people as its rows with it. Everyone is grouped by (org, user id) — or (team, user id) for
  a workspace outside Grid, which cannot have duplicates.
- Of a group, the most recently active row is kept, with its settings and scheduling state:
  active means its latest Done, else when it was created (ties: the newer row). Settings are
  what someone last used, and the row they last used is the one whose reminders they saw.
- Every Done, pause, past nudge, weekly summary and challenge membership or Done of the others
  moves to it; where the kept row already has the same one (a nudge for the same slot, the same
  week's summary, the same challenge day) the kept row's stays. The others' unsent nudges are
  dropped: they followed settings that are no longer kept.
- The kept row moves into the workspace row with the org, so the lookup by org finds it.
  Challenges started in a workspace row without its org move there too, unless that channel
  already has a running challenge there.

Downgrade leaves the merged rows merged: which rows they were made of is not kept.
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0013"
branch_labels = None
depends_on = None

# (table, the column that must stay unique together with person_id); None: no such constraint.
PERSON_ROWS = (
    ("completions", None),
    ("pauses", None),
    ("nudges", "slot_at"),
    ("weekly_summaries", "week"),
    ("challenge_members", "challenge_id"),
    ("challenge_dones", "day_id"),
)
OPEN_NUDGES = "status IN ('pending', 'sending')"


def upgrade() -> None:
    bind = op.get_bind()
    workspaces = {
        row.id: (row.team_id, row.enterprise_id)
        for row in bind.execute(sa.text("SELECT id, team_id, enterprise_id FROM workspaces"))
    }
    with_org = {(team, org): ws for ws, (team, org) in workspaces.items() if org}
    org_of_team = {team: org for team, org in with_org}

    groups: dict[tuple[str, str, str], list[tuple[object, int, int]]] = defaultdict(list)
    people = bind.execute(
        sa.text(
            "SELECT p.id, p.workspace_id, p.slack_user_id, "
            "COALESCE(MAX(c.completed_at), p.created_at) AS last_active "
            "FROM people p LEFT JOIN completions c ON c.person_id = p.id "
            "GROUP BY p.id, p.workspace_id, p.slack_user_id, p.created_at"
        )
    )
    for person in people:
        team, org = workspaces[person.workspace_id]
        org = org or org_of_team.get(team, "")
        key = ("org", org, person.slack_user_id) if org else ("team", team, person.slack_user_id)
        groups[key].append((person.last_active, person.id, person.workspace_id))

    for (kind, org, _), rows in groups.items():
        _, keeper, keeper_workspace = max(rows)
        for _, other, _ in rows:
            if other != keeper:
                _merge(bind, other, keeper)
        if kind == "org" and not workspaces[keeper_workspace][1]:
            target = with_org[(workspaces[keeper_workspace][0], org)]
            bind.execute(
                sa.text("UPDATE people SET workspace_id = :target WHERE id = :keeper"),
                {"target": target, "keeper": keeper},
            )

    for ws, (team, org) in workspaces.items():
        if not org and team in org_of_team:
            _move_challenges(bind, ws, with_org[(team, org_of_team[team])])


def _merge(bind, other: int, keeper: int) -> None:
    ids = {"other": other, "keeper": keeper}
    bind.execute(sa.text(f"DELETE FROM nudges WHERE person_id = :other AND {OPEN_NUDGES}"), ids)
    for table, unique_with in PERSON_ROWS:
        if unique_with is not None:
            bind.execute(
                sa.text(
                    f"DELETE FROM {table} WHERE person_id = :other AND {unique_with} IN "
                    f"(SELECT {unique_with} FROM {table} WHERE person_id = :keeper)"
                ),
                ids,
            )
        bind.execute(
            sa.text(f"UPDATE {table} SET person_id = :keeper WHERE person_id = :other"), ids
        )
    bind.execute(sa.text("DELETE FROM people WHERE id = :other"), ids)


def _move_challenges(bind, without_org: int, with_org: int) -> None:
    bind.execute(
        sa.text(
            "UPDATE challenges SET workspace_id = :with_org WHERE workspace_id = :without_org "
            "AND NOT (status = 'active' AND channel_id IN (SELECT channel_id FROM challenges "
            "WHERE workspace_id = :with_org AND status = 'active'))"
        ),
        {"with_org": with_org, "without_org": without_org},
    )


def downgrade() -> None:
    """Nothing to undo: the merged rows stay merged."""
