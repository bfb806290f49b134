"""Alembic environment: migrate the database named by the app's DATABASE_URL."""
from alembic import context
from sqlalchemy import engine_from_config, pool

from infra.models import Base
import channels.models  # noqa: F401  (channel tables on Base.metadata)
import admin.models  # noqa: F401  (admin tables on Base.metadata)
import procedures.prefill_models  # noqa: F401  (guided-flow tables on Base.metadata)
import bot.consent_models  # noqa: F401  (reminder consent tables on Base.metadata)
import outreach.models  # noqa: F401  (campaign tables on Base.metadata)

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                                     poolclass=pool.NullPool)
    with connectable.connect() as connection:
        # batch mode lets SQLite alter tables the way PostgreSQL does
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
