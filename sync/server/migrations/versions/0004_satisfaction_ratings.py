"""satisfaction ratings: a shopper's 1-5 rating of a finished ticket, from its tracking page

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 01:05:45.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "satisfaction_ratings",
        sa.Column("submission_uuid", sa.Uuid(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_satisfaction_ratings_rating")),
        sa.ForeignKeyConstraint(
            ["submission_uuid"],
            ["submissions.uuid"],
            name=op.f("fk_satisfaction_ratings_submission_uuid_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_uuid", name=op.f("pk_satisfaction_ratings")),
    )
    with op.batch_alter_table("satisfaction_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_satisfaction_ratings_rated_at", ["rated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("satisfaction_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_satisfaction_ratings_rated_at")

    op.drop_table("satisfaction_ratings")
