"""privacy and isolation: commune phrasings, the message log's resident hash, sealed delivery bodies

Revision ID: 0007_privacy
Revises: 0006_dead_letter_resolved_by
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_privacy"
down_revision = "0006_dead_letter_resolved_by"
branch_labels = None
depends_on = None

# SQLite reports the old unnamed unique constraint under this name once batch mode names it
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_unique_name() -> str:
    if op.get_bind().dialect.name == "sqlite":
        return "uq_kb_phrasings_entry_id"
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("kb_phrasings"):
        if constraint["column_names"] == ["entry_id", "text"]:
            return constraint["name"]
    raise RuntimeError("kb_phrasings has no unique (entry_id, text) constraint to replace")


def upgrade() -> None:
    # a commune's staff phrasing counts only for its residents; None: national (existing rows)
    old = _old_unique_name()
    with op.batch_alter_table("kb_phrasings", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_kb_phrasings_commune_id", "communes", ["commune_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_index("ix_kb_phrasings_commune_id", ["commune_id"], unique=False)
        batch_op.drop_constraint(old, type_="unique")
        batch_op.create_unique_constraint("uq_kb_phrasings_entry_text_commune", ["entry_id", "text", "commune_id"])
    with op.batch_alter_table("message_log") as batch_op:
        batch_op.add_column(sa.Column("user_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_message_log_user_hash", ["user_hash"], unique=False)
    with op.batch_alter_table("channel_deliveries") as batch_op:
        batch_op.add_column(sa.Column("sealed", sa.Text(), nullable=True))
        batch_op.alter_column("body", existing_type=sa.JSON(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("channel_deliveries") as batch_op:
        batch_op.alter_column("body", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("sealed")
    with op.batch_alter_table("message_log") as batch_op:
        batch_op.drop_index("ix_message_log_user_hash")
        batch_op.drop_column("user_hash")
    op.execute("DELETE FROM kb_phrasings WHERE commune_id IS NOT NULL")
    with op.batch_alter_table("kb_phrasings") as batch_op:
        batch_op.drop_constraint("uq_kb_phrasings_entry_text_commune", type_="unique")
        batch_op.create_unique_constraint("uq_kb_phrasings_entry_id", ["entry_id", "text"])
        batch_op.drop_index("ix_kb_phrasings_commune_id")
        batch_op.drop_constraint("fk_kb_phrasings_commune_id", type_="foreignkey")
        batch_op.drop_column("commune_id")
