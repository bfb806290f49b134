"""Merge the channels, admin and flows branches into one head.

Revision ID: 0005_merge_heads
Revises: 0002_channels, 0003_admin, 0004_flows
"""

revision = "0005_merge_heads"
down_revision = ("0002_channels", "0003_admin", "0004_flows")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # nothing to change: the three branches touch different tables


def downgrade() -> None:
    pass
