"""languages: a person's, Slack's, a challenge's, a group break's and the workspace default

Revision ID: 0021
Revises: 0018

Columns only, all nullable: a person without a choice follows Slack's locale (`slack_locale`,
filled the next time their profile is read), and a workspace without a default speaks English.
Challenges and group breaks started before keep speaking the workspace default.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None

# A language code of bot.domain.i18n.LANGUAGES ("pt_BR") and a Slack locale ("es-ES").
LANGUAGE = sa.String(8)
LOCALE = sa.String(16)


def upgrade() -> None:
    with op.batch_alter_table("people") as people:
        people.add_column(sa.Column("slack_locale", LOCALE, nullable=True))
        people.add_column(sa.Column("language", LANGUAGE, nullable=True))
    for table in ("challenges", "group_breaks", "workspace_defaults"):
        with op.batch_alter_table(table) as rows:
            rows.add_column(sa.Column("language", LANGUAGE, nullable=True))


def downgrade() -> None:
    for table in ("workspace_defaults", "group_breaks", "challenges"):
        with op.batch_alter_table(table) as rows:
            rows.drop_column("language")
    with op.batch_alter_table("people") as people:
        people.drop_column("language")
        people.drop_column("slack_locale")
