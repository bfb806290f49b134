"""channels: who handled a dead letter (the staff username)

Revision ID: 0006_dead_letter_resolved_by
Revises: 0005_merge_heads
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_dead_letter_resolved_by"
down_revision = "0005_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable: letters handled before this revision keep an unknown handler
    with op.batch_alter_table("channel_dead_letters") as batch_op:
        batch_op.add_column(sa.Column("resolved_by", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channel_dead_letters") as batch_op:  # SQLite drops a column by copying the table
        batch_op.drop_column("resolved_by")
