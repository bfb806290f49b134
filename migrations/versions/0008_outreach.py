"""outreach: reminder consent, life events, campaigns

Revision ID: 0008_outreach
Revises: 0006_dead_letter_resolved_by
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_outreach'
down_revision = '0007_privacy'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outreach_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('commune_ids', sa.JSON(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('messages', sa.JSON(), nullable=False),
    sa.Column('intent', sa.String(length=80), nullable=True),
    sa.Column('quiet_hours', sa.String(length=11), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=True),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('outreach_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('commune_id', 'rule')
    )
    op.create_table('outreach_settings',
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('facebook_template', sa.JSON(), nullable=True),
    sa.Column('zalo_template', sa.JSON(), nullable=True),
    sa.Column('zalo_paid_consultation', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commune_id')
    )
    op.create_table('reminder_guide_starts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('intent', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reminder_guide_starts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_guide_starts_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('outreach_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('route', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.String(length=60), nullable=True),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('link_token', sa.String(length=24), nullable=False),
    sa.Column('platform_message_id', sa.String(length=200), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('clicked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['outreach_campaigns.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscriber_id'], ['subscribers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'subscriber_id'),
    sa.UniqueConstraint('link_token')
    )
    with op.batch_alter_table('outreach_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_deliveries_campaign_status', ['campaign_id', 'status'], unique=False)

    op.create_table('reminder_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('wording', sa.String(length=80), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['subscriber_id'], ['subscribers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subscriber_id')
    )
    op.create_table('reminder_life_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscriber_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['subscriber_id'], ['subscribers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subscriber_id', 'kind')
    )
    with op.batch_alter_table('reminder_life_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_life_events_subscriber_id'), ['subscriber_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reminder_life_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_life_events_subscriber_id'))

    op.drop_table('reminder_life_events')
    op.drop_table('reminder_consents')
    with op.batch_alter_table('outreach_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_deliveries_campaign_status')

    op.drop_table('outreach_deliveries')
    with op.batch_alter_table('reminder_guide_starts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_guide_starts_campaign_id'))

    op.drop_table('reminder_guide_starts')
    op.drop_table('outreach_settings')
    op.drop_table('outreach_rules')
    op.drop_table('outreach_campaigns')
