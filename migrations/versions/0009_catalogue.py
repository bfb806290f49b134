"""catalogue: the national portal's procedures, commune notes and phrasings (issue 13)

Revision ID: 0009_catalogue
Revises: 0006_dead_letter_resolved_by
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_catalogue"
down_revision = "0008_outreach"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_entries",
        sa.Column("code", sa.String(length=40), primary_key=True),
        sa.Column("formality_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("province", sa.String(length=200), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "catalogue_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=40), sa.ForeignKey("catalogue_entries.code", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("commune_id", sa.Integer(), sa.ForeignKey("communes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("desk", sa.Text(), nullable=True),
        sa.Column("fee", sa.Text(), nullable=True),
        sa.Column("papers", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("code", "commune_id"),
    )
    op.create_index("ix_catalogue_notes_code", "catalogue_notes", ["code"])
    op.create_table(
        "catalogue_phrasings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=40), sa.ForeignKey("catalogue_entries.code", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("commune_id", sa.Integer(), sa.ForeignKey("communes.id", ondelete="CASCADE"), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("code", "commune_id", "text"),
    )
    op.create_index("ix_catalogue_phrasings_code", "catalogue_phrasings", ["code"])
    op.create_index("ix_catalogue_phrasings_commune_id", "catalogue_phrasings", ["commune_id"])


def downgrade() -> None:
    op.drop_table("catalogue_phrasings")
    op.drop_table("catalogue_notes")
    op.drop_table("catalogue_entries")
