"""outreach: hand-off page events (sent / first opened), the platform's time of a campaign message

Revision ID: 0013_outreach2
Revises: 0012_answers
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_outreach2"
down_revision = "0012_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_page_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("flow_id", sa.String(length=80), nullable=False),
        sa.Column("page_key", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_handoff_page_events_commune_kind_time", "handoff_page_events",
                    ["commune_id", "kind", "created_at"])
    op.create_index("ix_handoff_page_events_owner", "handoff_page_events", ["channel", "user_hash"])
    op.create_index(op.f("ix_handoff_page_events_page_key"), "handoff_page_events", ["page_key"])
    with op.batch_alter_table("outreach_deliveries") as batch_op:
        batch_op.add_column(sa.Column("platform_sent_ms", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_outreach_deliveries_message", ["platform_message_id"])


def downgrade() -> None:
    with op.batch_alter_table("outreach_deliveries") as batch_op:
        batch_op.drop_index("ix_outreach_deliveries_message")
        batch_op.drop_column("platform_sent_ms")
    op.drop_index(op.f("ix_handoff_page_events_page_key"), table_name="handoff_page_events")
    op.drop_index("ix_handoff_page_events_owner", table_name="handoff_page_events")
    op.drop_index("ix_handoff_page_events_commune_kind_time", table_name="handoff_page_events")
    op.drop_table("handoff_page_events")
