"""outreach: the latest Messenger read watermark of a resident whose campaign message awaits its echo

Revision ID: 0014_read_marks
Revises: 0013_outreach2
"""
from alembic import op
import sqlalchemy as sa

revision = "0014_read_marks"
down_revision = "0013_outreach2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outreach_read_marks",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("watermark_ms", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("platform", "commune_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("outreach_read_marks")
