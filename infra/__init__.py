"""Shared infrastructure: settings, database, key-value store, job queue."""
