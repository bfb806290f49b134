"""Scoring many catalogue thresholds at once, for the calibration's grid search.

The bot's answer to a line depends on the thresholds only through the catalogue's decision
(answer, clarify or none), and that decision only on the first hit's score and its lead over the
first other procedure. So each line's outcome is worked out once per decision, and a grid of
thresholds costs a few array comparisons: the whole grid takes a fraction of a second.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.catalogue_index import CatalogueThresholds

DECISIONS = ("none", "clarify", "answer")
NAMES = ("answer", "margin", "clarify", "sure")  # the thresholds, as CatalogueThresholds orders them
FIELDS = ("found", "wrong", "wrong_tier", "refused", "refused_outright")


@dataclass(frozen=True)
class Outcomes:
    """Per line: the first hit's score and lead, whether there was any hit, whether the line is in
    scope, and each counted field under each decision (shape: decisions × lines)."""
    top: np.ndarray
    lead: np.ndarray
    searched: np.ndarray
    in_scope: np.ndarray
    fields: dict[str, np.ndarray]

    def subset(self, rows: Sequence[int]) -> Outcomes:
        at = np.asarray(rows, dtype=int)
        return Outcomes(self.top[at], self.lead[at], self.searched[at], self.in_scope[at],
                        {name: values[:, at] for name, values in self.fields.items()})

    def __len__(self) -> int:
        return len(self.top)


@dataclass(frozen=True)
class Grid:
    """Threshold sets as columns (each array: one value per set)."""
    answer: np.ndarray
    margin: np.ndarray
    clarify: np.ndarray
    sure: np.ndarray

    @classmethod
    def of(cls, sets: Sequence[CatalogueThresholds]) -> Grid:
        return cls(*(np.array([getattr(t, name) for t in sets], dtype=float)
                     for name in NAMES))

    def thresholds(self, at: int) -> CatalogueThresholds:
        return CatalogueThresholds(*(round(float(getattr(self, name)[at]), 4)
                                     for name in NAMES))

    def __len__(self) -> int:
        return len(self.answer)


def decisions(grid: Grid, top: np.ndarray, lead: np.ndarray, searched: np.ndarray) -> np.ndarray:
    """The index of the decision (DECISIONS) each threshold set takes on each line: sets × lines,
    as `CatalogueThresholds.answers` and `CatalogueIndex.decide` take it."""
    col = {name: getattr(grid, name)[:, None] for name in NAMES}
    answers = (top >= col["sure"]) | ((top >= col["answer"]) & (lead >= col["margin"]))
    none = ~searched | (top < col["clarify"])
    return np.where(none, 0, np.where(answers, 2, 1))


def counts(outcomes: Outcomes, grid: Grid, chunk: int = 8192) -> dict[str, np.ndarray]:
    """Each field summed over the lines, for every threshold set of the grid."""
    totals = {name: np.zeros(len(grid), dtype=np.int64) for name in FIELDS}
    for start in range(0, len(grid), chunk):
        part = Grid(*(getattr(grid, name)[start:start + chunk]
                      for name in NAMES))
        taken = decisions(part, outcomes.top[None, :], outcomes.lead[None, :], outcomes.searched[None, :])
        chosen = [(taken == d).astype(np.int64) for d in range(len(DECISIONS))]
        for name in FIELDS:
            values = outcomes.fields[name]
            totals[name][start:start + chunk] = sum(chosen[d] @ values[d] for d in range(len(DECISIONS)))
    return totals
