"""guided flows: encrypted prefill records and portal click-throughs

Revision ID: 0004_flows
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_flows"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prefill_records",
        sa.Column("id", sa.String(length=43), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("flow_id", sa.String(length=80), nullable=False),
        sa.Column("variant", sa.String(length=80), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prefill_records") as batch_op:
        batch_op.create_index("ix_prefill_records_owner", ["channel", "user_hash"], unique=False)
        batch_op.create_index("ix_prefill_records_expires_at", ["expires_at"], unique=False)
    op.create_table(
        "portal_clicks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(length=80), nullable=False),
        sa.Column("variant", sa.String(length=80), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("portal_clicks") as batch_op:
        batch_op.create_index("ix_portal_clicks_commune_time", ["commune_id", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("portal_clicks")
    op.drop_table("prefill_records")
