"""members: tiers, members and their cards, points ledgers, coupons, SMS codes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 20:09:11.744240
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A 64-bit sequence on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the autoincrementing rowid.
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "member_tiers",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=50), nullable=False),
        sa.Column("benefits_zh", sa.JSON(), nullable=False),
        sa.Column("benefits_en", sa.JSON(), nullable=False),
        sa.Column("min_points", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_member_tiers")),
        sa.UniqueConstraint("rank", name=op.f("uq_member_tiers_rank")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("tier_code", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tier_code"], ["member_tiers.code"], name=op.f("fk_members_tier_code_member_tiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("mobile", name=op.f("uq_members_mobile")),
    )
    op.create_table(
        "member_identifiers",
        sa.Column("code", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('card', 'app')", name=op.f("ck_member_identifiers_kind")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_identifiers_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_member_identifiers")),
    )
    with op.batch_alter_table("member_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_identifiers_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "points_entries",
        sa.Column("id", _SEQ, autoincrement=True, nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.CheckConstraint("points <> 0", name=op.f("ck_points_entries_points")),
        sa.CheckConstraint(
            "expires_on IS NULL OR points > 0", name=op.f("ck_points_entries_expires_on")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_points_entries_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_entries")),
    )
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.create_index("ix_points_entries_member_at", ["member_id", "at"], unique=False)

    op.create_table(
        "member_coupons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("title_zh", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("terms_zh", sa.Text(), nullable=False),
        sa.Column("terms_en", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("store_ids", sa.JSON(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("valid_from <= valid_until", name=op.f("ck_member_coupons_validity")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_coupons_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_member_coupons_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_coupons")),
        sa.UniqueConstraint("code", name=op.f("uq_member_coupons_code")),
    )
    with op.batch_alter_table("member_coupons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_coupons_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "sms_challenges",
        sa.Column("id", _SEQ, autoincrement=True, nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("kiosk_code", sa.String(length=6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_why", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "closed_why IN ('verified', 'replaced', 'locked')",
            name=op.f("ck_sms_challenges_closed_why"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_challenges")),
    )
    with op.batch_alter_table("sms_challenges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sms_challenges_phone_created", ["phone_hash", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_sms_challenges_kiosk_created", ["kiosk_code", "created_at"], unique=False
        )

    op.create_table(
        "sms_phone_guards",
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("failures_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("phone_hash", name=op.f("pk_sms_phone_guards")),
    )
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secrets")),
    )


def downgrade() -> None:
    op.drop_table("server_secrets")
    op.drop_table("sms_phone_guards")
    with op.batch_alter_table("sms_challenges", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_challenges_kiosk_created")
        batch_op.drop_index("ix_sms_challenges_phone_created")

    op.drop_table("sms_challenges")
    with op.batch_alter_table("member_coupons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_coupons_member_id"))

    op.drop_table("member_coupons")
    with op.batch_alter_table("points_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_points_entries_member_at")

    op.drop_table("points_entries")
    with op.batch_alter_table("member_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_identifiers_member_id"))

    op.drop_table("member_identifiers")
    op.drop_table("members")
    op.drop_table("member_tiers")
