"""member scan misses: the kiosks' scans that found no member, for the hourly cap

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:55:00.260812
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A 64-bit sequence on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the autoincrementing rowid.
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "member_scan_misses",
        sa.Column("id", _SEQ, autoincrement=True, nullable=False),
        sa.Column("kiosk_code", sa.String(length=6), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_scan_misses")),
    )
    with op.batch_alter_table("member_scan_misses", schema=None) as batch_op:
        batch_op.create_index("ix_member_scan_misses_kiosk_at", ["kiosk_code", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("member_scan_misses", schema=None) as batch_op:
        batch_op.drop_index("ix_member_scan_misses_kiosk_at")

    op.drop_table("member_scan_misses")
