"""communes: the commune police post (name, address, phone, hours)

Revision ID: 0012_answers
Revises: 0006_dead_letter_resolved_by
"""
from alembic import op
import sqlalchemy as sa

revision = "0012_answers"
down_revision = "0009_catalogue"
branch_labels = None
depends_on = None

COLUMNS = (
    ("police_name", sa.String(length=200)),
    ("police_address", sa.String(length=500)),
    ("police_phone", sa.String(length=50)),
    ("police_hours", sa.JSON()),
)


def upgrade() -> None:
    # nullable: a commune that has not entered its police post yet gets "ask the People's Committee"
    with op.batch_alter_table("communes") as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("communes") as batch_op:  # SQLite drops a column by copying the table
        for name, _kind in reversed(COLUMNS):
            batch_op.drop_column(name)
