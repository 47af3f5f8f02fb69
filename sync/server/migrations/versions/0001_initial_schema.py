"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 17:44:48.794220
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("name", name=op.f("uq_staff_name")),
    )
    op.create_table(
        "venues",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("cursor_epoch", sa.String(length=16), nullable=False),
        sa.Column("catalog_seq", sa.BigInteger(), nullable=False),
        sa.Column("pruned_seq", sa.BigInteger(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venues")),
    )
    op.create_table(
        "catalog_changes",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("part", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "part IN ('venue', 'promotions', 'return_policy', 'settings')",
            name=op.f("ck_catalog_changes_part"),
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_catalog_changes_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_catalog_changes")),
    )
    with op.batch_alter_table("catalog_changes", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_changes_venue_seq", ["venue_id", "seq"], unique=False)

    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kiosk_code", sa.String(length=6), nullable=False),
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("app_version", sa.String(length=40), nullable=True),
        sa.Column("queue_depth", sa.Integer(), nullable=True),
        sa.Column("printer_state", sa.String(length=20), nullable=True),
        sa.Column("free_disk", sa.BigInteger(), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_devices_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_devices_token_sha256")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_kiosk_code"), ["kiosk_code"], unique=False)

    op.create_table(
        "promotions",
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=True),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_promotions_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("venue_id", "id", name=op.f("pk_promotions")),
    )
    op.create_table(
        "venue_documents",
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("part", sa.String(length=20), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "part IN ('return_policy', 'settings')", name=op.f("ck_venue_documents_part")
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_venue_documents_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("venue_id", "part", name=op.f("pk_venue_documents")),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["used_by"], ["devices.id"], name=op.f("fk_enrollment_codes_used_by_devices")
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_enrollment_codes_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_sha256", name=op.f("pk_enrollment_codes")),
    )
    op.create_table(
        "submissions",
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("kiosk_code", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("ticket_no", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_submissions_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_submissions")),
        sa.UniqueConstraint("ticket_no", name=op.f("uq_submissions_ticket_no")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissions_kiosk_code"), ["kiosk_code"], unique=False)

    op.create_table(
        "status_events",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("submission_uuid", sa.Uuid(), nullable=False),
        sa.Column("kiosk_code", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_status_events_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["submission_uuid"],
            ["submissions.uuid"],
            name=op.f("fk_status_events_submission_uuid_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_status_events")),
    )
    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.create_index("ix_status_events_kiosk_seq", ["kiosk_code", "seq"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_status_events_submission_uuid"), ["submission_uuid"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_events_submission_uuid"))
        batch_op.drop_index("ix_status_events_kiosk_seq")

    op.drop_table("status_events")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submissions_kiosk_code"))

    op.drop_table("submissions")
    op.drop_table("enrollment_codes")
    op.drop_table("venue_documents")
    op.drop_table("promotions")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_kiosk_code"))

    op.drop_table("devices")
    with op.batch_alter_table("catalog_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_changes_venue_seq")

    op.drop_table("catalog_changes")
    op.drop_table("venues")
    op.drop_table("staff")
