"""workspace installations: an active flag, and slack-sdk's OAuth tables

Revision ID: 0005
Revises: 0004

The installation and OAuth state tables are slack-sdk's own (SQLAlchemyInstallationStore and
SQLAlchemyOAuthStateStore), created from the definitions that library ships, so its stores
read and write exactly the columns they expect.
"""

import sqlalchemy as sa
from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _slack_tables() -> list[sa.Table]:
    metadata = sa.MetaData()
    return [
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states"),
    ]


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default="1", nullable=False))
    for table in _slack_tables():
        table.create(op.get_bind())


def downgrade() -> None:
    for table in reversed(_slack_tables()):
        table.drop(op.get_bind())
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("active")
