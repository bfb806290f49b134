"""Who an entry belongs to: national entries are everyone's, a commune's own entry only its residents'.

The engine asks it before answering with an entry; the staff web asks it before showing or editing one.
"""
from __future__ import annotations

from infra.models import Commune, Entry

OWNER = "commune_id"  # key in Entry.content naming the commune that owns a commune-own entry


def entry_owner(entry: Entry) -> int | None:
    return (entry.content or {}).get(OWNER)


def visible_to(entry: Entry, commune: Commune | None) -> bool:
    """National entries are everyone's; a commune-own entry only its commune's."""
    owner = entry_owner(entry)
    return owner is None or (commune is not None and owner == commune.id)
