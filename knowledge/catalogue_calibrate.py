"""Choosing the catalogue tier's thresholds without any eval set.

Two sources of held-out messages, neither of them an eval set:
- residents' messages written for this project (every knowledge/data/catalogue_residents*.tsv,
  read together: story first, without diacritics, teencode, English, and out-of-scope lines that
  share words with procedures), each with every acceptable national code (the second file was
  written later by someone who had not read the everyday words, so it flatters them less). The
  thresholds are chosen on them by k-fold cross-validation, scored as `../shared/eval/score.py`
  scores a catalogue set: the whole path the bot takes (curated intents first,
  `catalogue_tier.resolve`), found = answered with an acceptable code, wrong = answered with any
  other code, rejection = out-of-scope lines answered with no code;
- messages generated from the catalogue itself (residents' openings and endings around an
  everyday keyword or the short title, half without diacritics), far easier than real ones:
  their figure is reported beside the other, for comparison.
The thresholds kept answer the most messages while the catalogue tier's wrong answers stay ≤ 5 %
of the lines and ≥ 90 % of the out-of-scope lines get no procedure; when no thresholds meet both,
those that come closest. (A curated intent that answers a catalogue question with its own
procedure is wrong whatever these thresholds are: it is counted in the figures, not in the bar
they are chosen against.)
"""
from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np
import yaml

from knowledge.catalogue_grid import DECISIONS, FIELDS, NAMES, Grid, Outcomes, decisions
from knowledge.catalogue_grid import counts as grid_counts
from knowledge.catalogue_index import (
    CatalogueIndex,
    CatalogueMatch,
    CatalogueThresholds,
    Hit,
)
from knowledge.catalogue_tier import TierAnswer, resolve
from knowledge.content import EntryData
from knowledge.matcher import Match
from knowledge.normalize import strip_diacritics
from knowledge.store import Snapshot

OPENINGS = ("", "cho em hỏi", "cho mình hỏi", "xin hỏi", "chị ơi", "anh ơi cho hỏi", "nhà em muốn hỏi về",
            "tôi cần làm", "em muốn làm")
ENDINGS = ("", "thì làm sao ạ", "cần giấy tờ gì", "làm ở đâu", "mất bao lâu", "có mất phí không",
           "thủ tục thế nào", "được không ạ", "ạ")
# residents often tell their situation first; the procedure comes in one clause near the end
STORIES = ("", "", "nhà em ở quê, bố mẹ già rồi,", "năm nay em làm ăn khó khăn quá,",
           "chồng em đi làm xa, ở nhà có mình em,",
           "em mới về đây ở được mấy tháng,", "hôm trước em có lên xã nhưng chưa gặp ai,", "gia đình em đông con,",
           "em đang làm công nhân trên thành phố,", "ông bà em tuổi cao sức yếu,")
MAX_WRONG, MIN_REJECTION = 0.05, 0.90
FOUND_SLACK = 0.01  # found given up, at most, for fewer wrong answers
LIST_ANSWERED = 0.0  # of the out-of-scope list, the share the catalogue may answer
FOLDS = 5
OUT_OF_SCOPE = Path(__file__).parent / "data" / "catalogue_out_of_scope.txt"
# every out-of-scope list, read together (catalogue_out_of_scope.txt, catalogue_out_of_scope_2.txt, ...)
OUT_OF_SCOPE_LISTS: tuple[Path, ...] = tuple(sorted(OUT_OF_SCOPE.parent.glob("catalogue_out_of_scope*.txt")))
# every residents' set, read together (catalogue_residents.tsv, catalogue_residents_2.tsv, ...)
RESIDENTS: tuple[Path, ...] = tuple(sorted((Path(__file__).parent / "data").glob("catalogue_residents*.tsv")))
# the thresholds tried: answer, margin, sure; then the clarify band below the answer threshold
ANSWERS = tuple(x / 100 for x in range(30, 96, 2))
MARGINS = tuple(x / 200 for x in range(0, 13))  # 0 to 0.06
SURES = tuple(x / 100 for x in range(60, 102, 3))


# ---------------------------------------------------------------------- residents' messages
@dataclass(frozen=True)
class Line:
    """A resident's message and every national code that answers it (none: out of scope)."""
    text: str
    codes: frozenset[str]
    note: str = ""

    @property
    def out_of_scope(self) -> bool:
        return not self.codes

    @property
    def group(self) -> str:
        """Lines about the same procedure stay in one fold; out-of-scope lines are each their own."""
        return ",".join(sorted(self.codes)) if self.codes else f"none:{self.text}"


def residents_lines(paths: Path | Sequence[Path] = RESIDENTS) -> list[Line]:
    """The lines of one TSV or of several, in order (header message, codes, note; codes
    comma-separated or `none`)."""
    if isinstance(paths, Path):
        return _tsv_lines(paths)
    return [line for path in paths for line in _tsv_lines(path)]


def _tsv_lines(path: Path) -> list[Line]:
    rows = path.read_text(encoding="utf-8").splitlines()
    if not rows or rows[0].split("\t")[:2] != ["message", "codes"]:
        raise ValueError(f"{path}: the header must start with message<TAB>codes")
    lines = []
    for row in rows[1:]:
        if not row.strip():
            continue
        text, codes, *rest = row.split("\t")
        found = frozenset(c.strip() for c in codes.split(",") if c.strip())
        lines.append(Line(text, frozenset() if found == {"none"} else found, rest[0] if rest else ""))
    return lines


@dataclass
class Prepared:
    """A line with what does not depend on the catalogue's thresholds: the curated matcher's
    decision, the catalogue's ranked hits (one per procedure), the top score and its lead over
    the first other procedure (what `CatalogueIndex.decide` compares), and the answers already worked out
    for each kind of catalogue decision (the bot's answer depends on the thresholds only
    through that decision, so a grid of thresholds costs a few comparisons per line)."""
    line: Line
    match: Match
    hits: tuple[Hit, ...]
    top: float
    lead: float
    answers: dict[str, TierAnswer]

    def decision(self, t: CatalogueThresholds) -> str:
        """The decision `CatalogueIndex.decide` takes on these hits with thresholds `t`."""
        if not self.hits or self.top < t.clarify:
            return "none"
        return "answer" if t.answers(self.top, self.lead) else "clarify"

    @classmethod
    def of(cls, line: Line, match: Match, index: CatalogueIndex) -> Prepared:
        hits = tuple(index.distinct(index.search(line.text)))
        return cls(line, match, hits, hits[0].score if hits else 0.0, index.lead(hits), {})


def prepare(snapshot: Snapshot, index: CatalogueIndex, lines: Sequence[Line],
            limit: int | None = None) -> list[Prepared]:
    """`limit`: the longest message the bot reads (MAX_MESSAGE_CHARS), as `kb match` cuts it."""
    out = []
    for line in lines:
        text = line.text[:limit] if limit else line.text
        out.append(Prepared.of(Line(text, line.codes, line.note), snapshot.index.match(text), index))
    return out


@dataclass
class Tally:
    """Counts as score.py makes them."""
    found: int = 0
    in_scope: int = 0
    refused: int = 0
    out_of_scope: int = 0
    wrong: int = 0
    wrong_tier: int = 0  # the wrong answers the catalogue tier gave (the thresholds decide those)
    refused_outright: int = 0  # out-of-scope lines without even a clarifying choice

    def add(self, other: Tally) -> Tally:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def found_share(self) -> float:
        return self.found / max(self.in_scope, 1)

    @property
    def rejection(self) -> float:
        return self.refused / max(self.out_of_scope, 1)

    @property
    def wrong_share(self) -> float:
        return self.wrong / max(self.in_scope + self.out_of_scope, 1)

    @property
    def wrong_tier_share(self) -> float:
        return self.wrong_tier / max(self.in_scope + self.out_of_scope, 1)

    @property
    def outright_rejection(self) -> float:
        return self.refused_outright / max(self.out_of_scope, 1)

    def meets(self) -> bool:
        return self.wrong_tier_share <= MAX_WRONG and self.rejection >= MIN_REJECTION

    def shortfall(self) -> float:
        """How far from both bars (0 when met). The wrong answers counted are the catalogue
        tier's: those of the curated intents do not move with these thresholds."""
        return max(0.0, self.wrong_tier_share - MAX_WRONG) + max(0.0, MIN_REJECTION - self.rejection)

    def describe(self) -> str:
        return (f"found {self.found_share:.3f}, rejection {self.rejection:.3f}, wrong {self.wrong_share:.3f} "
                f"(of which the catalogue tier's {self.wrong_tier_share:.3f}; "
                f"{self.in_scope} in scope, {self.out_of_scope} out of scope)")


class _Probe:
    """The index's decision with other thresholds, from hits searched once (the index itself is
    immutable): `resolve` asks it exactly as it asks the index."""

    def __init__(self, index: CatalogueIndex, thresholds: CatalogueThresholds,
                 hits: dict[str, tuple[Hit, ...]] | None = None):
        self.thresholds, self._index, self._hits = thresholds, index, hits or {}

    def __getattr__(self, name: str):
        return getattr(self._index, name)  # everything but the decision is the index's own

    def match(self, text: str, province: str | None = None) -> CatalogueMatch:
        hits = self._hits.get(text)
        return CatalogueIndex.decide(self, list(hits if hits is not None else self._index.search(text, province)))


def answer(snapshot: Snapshot, index: CatalogueIndex, item: Prepared, thresholds: CatalogueThresholds) -> TierAnswer:
    """What the bot answers to the line with these thresholds (the path of `kb match`)."""
    decision = item.decision(thresholds)
    known = item.answers.get(decision)
    if known is None:
        probe = _Probe(index, thresholds, {item.line.text: item.hits})
        known = item.answers[decision] = resolve(snapshot, probe, item.line.text, match=item.match)  # type: ignore[arg-type]
    return known


def outcomes(snapshot: Snapshot, index: CatalogueIndex, items: Sequence[Prepared]) -> Outcomes:
    """Each line's counts under each decision the catalogue can take (the grid's input)."""
    bar = index.thresholds.answer  # what the audience rule compares with, whatever the decision
    forced = {"none": CatalogueThresholds(bar, 9.0, 9.0, 9.0),
              "clarify": CatalogueThresholds(bar, 9.0, 0.0, 9.0),
              "answer": CatalogueThresholds(bar, -1.0, 0.0, 0.0)}
    fields = {name: np.zeros((len(DECISIONS), len(items)), dtype=np.int64) for name in FIELDS}
    for row, item in enumerate(items):
        for d, decision in enumerate(DECISIONS):
            counted = _counted(item, answer(snapshot, index, item, forced[decision]))
            for name in FIELDS:
                fields[name][d, row] = getattr(counted, name)
    return Outcomes(np.array([item.top for item in items]), np.array([item.lead for item in items]),
                    np.array([bool(item.hits) for item in items]),
                    np.array([not item.line.out_of_scope for item in items]), fields)


def _counted(item: Prepared, answered: TierAnswer) -> Tally:
    """One line's counts, as score.py makes them."""
    code, counts = answered.code, Tally()
    if item.line.out_of_scope:
        counts.out_of_scope, counts.refused = 1, int(code is None)
        counts.refused_outright = int(code is None and (answered.catalogue is None or answered.catalogue.decision == "none"))
        bad = code is not None
    else:
        counts.in_scope, counts.found = 1, int(code in item.line.codes)
        bad = code is not None and code not in item.line.codes
    counts.wrong, counts.wrong_tier = int(bad), int(bad and answered.from_catalogue)
    return counts


def tallies(seen: Outcomes, grid: Grid) -> list[Tally]:
    summed, in_scope = grid_counts(seen, grid), int(seen.in_scope.sum())
    return [Tally(in_scope=in_scope, out_of_scope=len(seen) - in_scope,
                  **{name: int(summed[name][at]) for name in FIELDS}) for at in range(len(grid))]


def tally(snapshot: Snapshot, index: CatalogueIndex, items: Sequence[Prepared],
          thresholds: CatalogueThresholds) -> Tally:
    return tallies(outcomes(snapshot, index, items), Grid.of([thresholds]))[0]


def threshold_grid() -> list[CatalogueThresholds]:
    """Every set tried: answer, margin and sure (sure ≥ answer); the clarify band starts at the answer."""
    return [CatalogueThresholds(answer_at, margin, answer_at, sure)
            for answer_at, margin, sure in product(ANSWERS, MARGINS, SURES) if sure >= answer_at]


def choose(seen: Outcomes, guard: Callable[[Grid], np.ndarray] | None = None) -> tuple[CatalogueThresholds, Tally]:
    """Among the thresholds within both bars (or closest to them), those that answer within
    FOUND_SLACK of the most lines, and of those the ones with the fewest wrong answers: a wrong
    answer is worse than none, so a point of found is not worth a point of wrong. Then the widest
    clarifying band that keeps ≥ 90 % of out-of-scope lines without a choice. Only thresholds the
    `guard` accepts are tried (when it accepts some)."""
    grid = Grid.of(threshold_grid())
    allowed = guard(grid) if guard is not None else np.ones(len(grid), dtype=bool)
    keep = np.flatnonzero(allowed) if allowed.any() else np.arange(len(grid))
    grid = Grid(*(getattr(grid, name)[keep] for name in NAMES))
    tried = list(enumerate(tallies(seen, grid)))
    closest = min(counts.shortfall() for _, counts in tried)
    within = [(at, counts) for at, counts in tried if counts.shortfall() == closest]
    most = max(counts.found_share for _, counts in within)
    at, counts = min((item for item in within if item[1].found_share >= most - FOUND_SLACK),
                     key=lambda item: (item[1].wrong_tier, -item[1].found_share, -item[1].rejection))
    chosen = grid.thresholds(at)
    for clarify in [x / 100 for x in range(int(round(chosen.clarify * 100)) - 2, 19, -2)]:
        t = CatalogueThresholds(chosen.answer, chosen.margin, clarify, chosen.sure)
        wider = tallies(seen, Grid.of([t]))[0]
        if wider.outright_rejection < MIN_REJECTION:
            break
        chosen, counts = t, wider
    return chosen, counts


def folds(lines: Sequence[Prepared], k: int = FOLDS, seed: int = 13) -> list[list[Prepared]]:
    """k folds of whole groups (a procedure's lines together), shuffled with a fixed seed."""
    groups: dict[str, list[Prepared]] = {}
    for item in lines:
        groups.setdefault(item.line.group, []).append(item)
    keys = sorted(groups, key=lambda g: zlib.crc32(g.encode()))
    random.Random(seed).shuffle(keys)
    out: list[list[Prepared]] = [[] for _ in range(k)]
    for n, key in enumerate(keys):
        out[n % k].extend(groups[key])
    return out


def cross_validate(seen: Outcomes, items: Sequence[Prepared], k: int = FOLDS,
                   guard: Callable[[Grid], np.ndarray] | None = None) -> tuple[Tally, list[CatalogueThresholds]]:
    """Held-out counts over k folds, each fold scored with thresholds chosen on the others."""
    held_out, chosen = Tally(), []
    row = {id(item): n for n, item in enumerate(items)}
    parts = [[row[id(item)] for item in part] for part in folds(items, k)]
    for n, test in enumerate(parts):
        train = [at for m, part in enumerate(parts) if m != n for at in part]
        thresholds, _ = choose(seen.subset(train), guard)
        chosen.append(thresholds)
        held_out.add(tallies(seen.subset(test), Grid.of([thresholds]))[0])
    return held_out, chosen


# ---------------------------------------------------------------------- generated questions
def generated_questions(index: CatalogueIndex, count: int = 800, seed: int = 13) -> list[tuple[str, frozenset[str]]]:
    """(message, acceptable codes): about procedures residents ask for (those with everyday keywords)."""
    rng = random.Random(seed)
    same_title: dict[str, set[str]] = {}
    for proc, title in zip(index.procedures, index.titles):
        same_title.setdefault(title.lower(), set()).add(proc.code)
    # a question is answerable only if its procedure's title tells it apart from the others
    pool = [i for i, p in enumerate(index.procedures)
            if index.keywords[i] and p.kind == "STANDARD" and len(same_title[index.titles[i].lower()]) == 1]
    rng.shuffle(pool)
    questions = []
    for i in pool[:count]:
        proc, title = index.procedures[i], index.titles[i]
        topic = title.lower().rstrip("…")
        words = topic.split()
        if len(words) > 4 and rng.random() < 0.5:
            del words[rng.randrange(1, len(words))]  # residents leave words out
        topic = " ".join(words)
        if rng.random() < 0.5:
            topic = f"{rng.choice(index.keywords[i])} {topic}"
        text = " ".join(p for p in (rng.choice(STORIES), rng.choice(OPENINGS), topic, rng.choice(ENDINGS)) if p)
        if rng.random() < 0.5:
            text = strip_diacritics(text)
        questions.append((text, frozenset(same_title[index.titles[i].lower()])))
    return questions


def out_of_scope_lines(entries: list[EntryData], paths: Path | Sequence[Path] = OUT_OF_SCOPE_LISTS) -> list[str]:
    """Messages no procedure fits: the catalogue's own lists (one file or several, in order) and the
    knowledge base's small talk. (The knowledge base's out-of-scope phrasings predate the catalogue:
    many of them, military service or health insurance, are catalogue procedures now.)"""
    files = [paths] if isinstance(paths, Path) else list(paths)
    own = [line.strip() for path in files for line in path.read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    return own + [p for e in entries if e.kind == "meta" for p in e.phrasings]


def generated_tally(index: CatalogueIndex, entries: list[EntryData], thresholds: CatalogueThresholds) -> Tally:
    """The catalogue tier alone on the generated questions and the out-of-scope list."""
    probe = _Probe(index, thresholds)
    counts = Tally()
    for text, gold in generated_questions(index):
        code = probe.match(text).code
        counts.in_scope += 1
        counts.found += code in gold
        counts.wrong += code is not None and code not in gold
        counts.wrong_tier += code is not None and code not in gold
    for text in out_of_scope_lines(entries):
        result = probe.match(text)
        counts.out_of_scope += 1
        counts.refused += result.code is None
        counts.refused_outright += result.decision == "none"
        counts.wrong += result.code is not None
        counts.wrong_tier += result.code is not None
    return counts


# ---------------------------------------------------------------------- the whole calibration
@dataclass
class Report:
    thresholds: CatalogueThresholds
    held_out: Tally  # residents' lines, k-fold
    fitted: Tally  # residents' lines, the thresholds kept (chosen on all of them)
    generated: Tally  # generated questions and the out-of-scope list, the thresholds kept
    fold_thresholds: list[CatalogueThresholds]
    folds: int

    def describe(self) -> str:
        t = self.thresholds
        met = "" if self.held_out.meets() else "  (below the bar: the tier's wrong ≤ 0.05, rejection ≥ 0.90)"
        return "\n".join((
            f"thresholds: answer ≥ {t.answer}, margin ≥ {t.margin}, clarify ≥ {t.clarify}, sure ≥ {t.sure}",
            f"residents' messages, {self.folds}-fold cross-validation (held out): {self.held_out.describe()}{met}",
            f"residents' messages, thresholds kept (chosen on all of them): {self.fitted.describe()}",
            f"generated questions, thresholds kept (optimistic): {self.generated.describe()}",
            "thresholds chosen per fold: " + "; ".join(f"{f.answer}/{f.margin}/{f.clarify}/{f.sure}"
                                                       for f in self.fold_thresholds),
        ))


def answers_none_of(index: CatalogueIndex, texts: Sequence[str], allowed: float = LIST_ANSWERED
                    ) -> Callable[[Grid], np.ndarray]:
    """A guard: the threshold sets at which the catalogue answers at most `allowed` of these
    out-of-scope messages (the project's out-of-scope list: a sale ad, a football match, small
    talk). The residents' out-of-scope lines are too few to hold the answer threshold up on their own."""
    seen = [(hits[0].score, index.lead(hits)) for hits in (index.distinct(index.search(t)) for t in texts) if hits]
    top, lead = (np.array([s[n] for s in seen], dtype=float)[None, :] for n in (0, 1))
    most = allowed * len(texts)

    def accepts(grid: Grid) -> np.ndarray:
        everything = Grid(grid.answer, grid.margin, np.zeros(len(grid)), grid.sure)  # no line below the choice band
        taken = decisions(everything, top, lead, np.ones_like(top, dtype=bool))
        return (taken == 2).sum(1) <= most
    return accepts


def calibrate(snapshot: Snapshot, index: CatalogueIndex, entries: list[EntryData], lines: Sequence[Line] | None = None,
              k: int = FOLDS, limit: int | None = None) -> Report:
    """Thresholds chosen on the residents' messages (k-fold figures) and the generated figure."""
    items = prepare(snapshot, index, residents_lines() if lines is None else lines, limit)
    guard = answers_none_of(index, out_of_scope_lines(entries))
    seen = outcomes(snapshot, index, items)
    held_out, per_fold = cross_validate(seen, items, k, guard)
    thresholds, fitted = choose(seen, guard)
    return Report(thresholds, held_out, fitted, generated_tally(index, entries, thresholds), per_fold, k)


def write_thresholds(report: Report, path: Path) -> None:
    t = report.thresholds

    def figures(counts: Tally) -> dict[str, float]:
        return {"found": round(counts.found_share, 3), "rejection": round(counts.rejection, 3),
                "wrong": round(counts.wrong_share, 3), "wrong_catalogue_tier": round(counts.wrong_tier_share, 3)}

    data = {
        "thresholds": {"answer": t.answer, "margin": t.margin, "clarify": t.clarify, "sure": t.sure},
        "held_out": {**figures(report.held_out), "method": f"{report.folds}-fold cross-validation",
                     "set": ", ".join(f"knowledge/data/{path.name}" for path in RESIDENTS),
                     "in_scope_lines": report.held_out.in_scope, "out_of_scope_lines": report.held_out.out_of_scope},
        "fitted": figures(report.fitted),
        "generated": {**figures(report.generated), "generated_questions": report.generated.in_scope,
                      "out_of_scope_lines": report.generated.out_of_scope},
    }
    header = ("# Written by `flask --app app catalogue calibrate` (knowledge/catalogue_calibrate.py); "
              "do not edit by hand.\n")
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
