"""People some national procedures serve and others do not (knowledge/data/audiences.yaml): a
message that names a foreigner asks about the foreigners' procedure, not the citizens' one."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.catalogue_index import CatalogueIndex
from knowledge.catalogue_terms import plain

AUDIENCES = Path(__file__).parent / "data" / "audiences.yaml"


@dataclass(frozen=True)
class Audience:
    """People some procedures serve and others do not (knowledge/data/audiences.yaml)."""
    name: str
    targets: frozenset[str]  # the catalogue's target groups (đối tượng) that are these people
    cues: tuple[tuple[str, ...], ...]  # plain words in a row that name them in a message


@lru_cache(maxsize=4)
def load_audiences(path: Path = AUDIENCES) -> tuple[Audience, ...]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(Audience(item["audience"], frozenset(item["targets"]),
                          tuple(tuple(plain(cue).split()) for cue in item["cues"])) for item in items)


def _says(tokens: Sequence[str], cue: tuple[str, ...]) -> bool:
    return any(tuple(tokens[at:at + len(cue)]) == cue for at, token in enumerate(tokens) if token == cue[0])


def audiences_named(text: str) -> list[Audience]:
    """The audiences a message names ("chồng em là người Hàn", "a foreign tenant")."""
    tokens = plain(text).split()
    return [a for a in load_audiences() if any(_says(tokens, cue) for cue in a.cues)]


def serves(index: CatalogueIndex, code: str, audience: Audience) -> bool:
    procedure = index.procedure(code)
    return procedure is not None and bool(audience.targets & set(procedure.targets))


def phrased(features: frozenset[str], cue: tuple[str, ...]) -> bool:
    """The curated intent's phrasings use the cue's words in a row (its features: words and pairs)."""
    if len(cue) == 1:
        return cue[0] in features
    return all(f"{a}_{b}" in features for a, b in zip(cue, cue[1:]))
