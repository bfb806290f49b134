"""The residents' messages the catalogue tier is calibrated and measured on (issue 13), and the
calibration itself.

knowledge/data/catalogue_residents.tsv and catalogue_residents_2.tsv (read together) were written
for this project, independently of the eval sets, the second by someone who had not read the
everyday words: residents' messages about procedures of the national catalogue outside the curated intents
(story first, without diacritics, teencode, English from foreigners) with every acceptable code,
and out-of-scope messages that share words with procedures. Its lines must never become
phrasings, or the figures measured on it stop meaning anything.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from catalogue_snapshot import RECORDS, write_snapshot

from knowledge.catalogue_calibrate import RESIDENTS, Line, Prepared, answer, folds, prepare, residents_lines
from knowledge.catalogue_grid import DECISIONS, Grid, decisions
from knowledge.catalogue_index import CatalogueIndex, CatalogueThresholds, Procedure
from knowledge.catalogue_store import THRESHOLDS, catalogue
from knowledge.content import load_entries
from knowledge.matcher import Match
from knowledge.normalize import normalize_vietnamese, strip_diacritics
from knowledge.store import knowledge_base

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT.parent / "shared" / "reference" / "portal" / "catalog.jsonl"
HARD = Path(__file__).with_name("hard_messages.tsv")
OUT_OF_SCOPE = ROOT / "knowledge" / "data" / "catalogue_out_of_scope.txt"


def _plain(text: str) -> str:
    return normalize_vietnamese(text).plain


def test_the_set_is_well_formed_and_spread_over_procedures_domains_and_wordings():
    lines = residents_lines()
    in_scope = [line for line in lines if not line.out_of_scope]
    assert len(in_scope) >= 300 and len([line for line in lines if line.out_of_scope]) >= 60
    assert all(code.count(".") == 1 and code.replace(".", "").isdigit() for line in in_scope for code in line.codes)
    assert len({min(line.codes) for line in in_scope}) >= 150  # procedures (a line's codes are one procedure's levels)
    assert len({line.note.split()[0] for line in in_scope}) >= 18  # domains
    english = [line for line in lines if "en" in line.note.split()]
    vietnamese = [line for line in lines if "en" not in line.note.split()]
    assert len(english) >= 30
    assert sum(strip_diacritics(line.text) == line.text for line in vietnamese) >= 0.35 * len(vietnamese)  # no diacritics
    assert sum(25 <= len(line.text.split()) <= 60 for line in in_scope) >= 0.25 * len(in_scope)  # story first
    texts = [_plain(line.text) for line in lines]
    assert len(set(texts)) == len(texts), [t for t in texts if texts.count(t) > 1]


def test_every_residents_file_is_read_and_each_holds_its_own_out_of_scope_lines():
    """A second file counts only if the default reader takes it: both sets, in order."""
    assert [path.name for path in RESIDENTS[:2]] == ["catalogue_residents.tsv", "catalogue_residents_2.tsv"]
    each = [residents_lines(path) for path in RESIDENTS]
    assert residents_lines() == [line for lines in each for line in lines]
    assert all(sum(line.out_of_scope for line in lines) >= 50 for lines in each)


@pytest.mark.skipif(not PORTAL.exists(), reason=f"the portal snapshot {PORTAL} is not on this machine")
def test_every_code_is_a_procedure_of_the_portal_catalogue():
    known = {json.loads(row)["code"] for row in PORTAL.read_text(encoding="utf-8").splitlines() if row.strip()}
    unknown = sorted({code for line in residents_lines() for code in line.codes} - known)
    assert unknown == []


def test_no_line_is_a_phrasing_or_another_set_of_the_project():
    known = {_plain(p) for entry in load_entries() for p in entry.phrasings}
    known |= {_plain(row.split("\t")[-1]) for row in HARD.read_text(encoding="utf-8").splitlines()[1:] if row.strip()}
    known |= {_plain(row) for row in OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
              if row.strip() and not row.startswith("#")}
    copied = [line.text for line in residents_lines() if _plain(line.text) in known]
    assert copied == []


def _index() -> CatalogueIndex:
    return CatalogueIndex(Procedure(code=r["code"], name=r["name"], formality_id=r["id"], kind=r["type"],
                                    province=r["departmentPromulgate"] if r["type"] == "SPECIFIC" else None,
                                    categories=tuple(r["categories"]), targets=tuple(r["formalityTargetType"]),
                                    departments=tuple(r["departments"])) for r in RECORDS)


MESSAGES = [
    Line("nhà em định khoan giếng lấy nước tưới, có phải đăng ký với xã không", frozenset({"1.001662"})),
    Line("dang ky nghia vu quan su lan dau o dau", frozenset({"1.013133"})),
    Line("chuyển trường cho con về quê học", frozenset({"2.002854"})),
    Line("xin giấy phép mở karaoke", frozenset({"1.001029"})),
    Line("đăng ký tàu cá mới đóng", frozenset({"1.003650"})),
    Line("thôn tổ chức lễ hội đầu xuân có phải báo xã không", frozenset({"1.003622", "1.013791"})),
    Line("giá vàng hôm nay bao nhiêu", frozenset()),
    Line("tối nay đội bóng xã đá với ai", frozenset()),
]


def test_the_calibration_takes_the_index_own_decision_for_every_threshold():
    """The grid search reads the decision from the top score and its lead; it must be the index's."""
    index, quiet = _index(), Match("none", 0.0, "none")
    items = [Prepared.of(line, quiet, index) for line in MESSAGES]
    for answer_at in (0.25, 0.38, 0.6):
        for margin in (0.0, 0.05):
            for sure in (answer_at, 1.01):
                thresholds = CatalogueThresholds(answer_at, margin, answer_at - 0.1, sure)
                probe = CatalogueIndex(index.procedures, thresholds, index.lexicon)
                assert [item.decision(thresholds) for item in items] == \
                       [probe.decide(list(item.hits)).decision for item in items]


def test_the_grid_takes_the_index_own_decision_for_every_threshold_set():
    """The vectorised grid search must decide every line as `CatalogueIndex.decide` does."""
    index, quiet = _index(), Match("none", 0.0, "none")
    items = [Prepared.of(line, quiet, index) for line in MESSAGES]
    sets = [CatalogueThresholds(a, m, c, s) for a in (0.3, 0.45, 0.7) for m in (0.0, 0.04)
            for c in (0.2, a) for s in (0.7, 1.01)]
    grid = Grid.of(sets)
    taken = decisions(grid, np.array([[item.top for item in items]]), np.array([[item.lead for item in items]]),
                      np.array([[bool(item.hits) for item in items]]))
    for n, thresholds in enumerate(sets):
        probe = CatalogueIndex(index.procedures, thresholds, index.lexicon)
        assert [DECISIONS[d] for d in taken[n]] == [probe.decide(list(item.hits)).decision for item in items]
    assert len({tuple(row) for row in taken}) > 3  # the sets do decide differently


def test_folds_keep_a_procedure_lines_together_and_hold_out_every_line_once():
    index, quiet = _index(), Match("none", 0.0, "none")
    lines = MESSAGES + [Line("khoan giếng nước ngầm cho trang trại", frozenset({"1.001662"}))]
    parts = folds([Prepared.of(line, quiet, index) for line in lines], k=3)
    held_out = [item.line.text for part in parts for item in part]
    assert sorted(held_out) == sorted(line.text for line in lines)
    wells = [n for n, part in enumerate(parts) for item in part if item.line.codes == {"1.001662"}]
    assert len(wells) == 2 and wells[0] == wells[1]


def test_calibrate_cross_validates_on_residents_messages_and_a_dry_run_writes_nothing(app, runner, tmp_path):
    assert runner.invoke(args=["catalogue", "import", str(write_snapshot(tmp_path / "snap"))]).exit_code == 0
    tsv = tmp_path / "residents.tsv"
    tsv.write_text("message\tcodes\tnote\n" + "".join(
        f"{line.text}\t{','.join(sorted(line.codes)) or 'none'}\ttest\n" for line in MESSAGES), encoding="utf-8")
    before = THRESHOLDS.read_text(encoding="utf-8")
    result = runner.invoke(args=["catalogue", "calibrate", "--dry-run", "--set", str(tsv), "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "residents' messages, 2-fold cross-validation (held out): found" in result.output
    assert "6 in scope, 2 out of scope)" in result.output
    assert "generated questions, thresholds kept (optimistic): found" in result.output
    assert THRESHOLDS.read_text(encoding="utf-8") == before
    assert residents_lines(tsv)[0].codes == MESSAGES[0].codes and residents_lines(RESIDENTS)


def test_the_calibration_scores_what_kb_match_answers(app, runner, tmp_path):
    """Each line is scored on the bot's whole path, curated intents first, as score.py sees it."""
    assert runner.invoke(args=["catalogue", "import", str(write_snapshot(tmp_path / "snap"))]).exit_code == 0
    lines = MESSAGES + [Line("đăng ký khai sinh cho con cần giấy tờ gì", frozenset({"1.001193"}))]
    result = runner.invoke(args=["kb", "match"], input="".join(line.text + "\n" for line in lines))
    assert result.exit_code == 0, result.output
    expected = [json.loads(row)["catalogue"] for row in result.output.splitlines() if row.startswith("{")]
    with app.app_context():
        snapshot, index = knowledge_base().snapshot(), catalogue().index()
        got = [answer(snapshot, index, item, index.thresholds).code for item in prepare(snapshot, index, lines)]
    assert got == expected and got[-1] == "1.001193" and "1.001662" in got
