"""Case-review sets (practitioners' MDT reviews, pseudonymous) and the link from a scenario to the set it came from.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_sets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "workspace_id", sa.Integer, sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "number"),
    )
    with op.batch_alter_table("scenario_versions") as batch:
        batch.add_column(sa.Column("review_set_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_scenario_review_set", "review_sets", ["review_set_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("scenario_versions") as batch:
        batch.drop_constraint("fk_scenario_review_set", type_="foreignkey")
        batch.drop_column("review_set_id")
    op.drop_table("review_sets")
