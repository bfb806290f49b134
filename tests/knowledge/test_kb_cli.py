"""`flask kb import|match|check` and the eval contract other teams rely on."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from infra.db import session_scope
from infra.models import Entry, Phrasing

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def test_import_is_idempotent_and_keeps_staff_work(app, runner):
    first = runner.invoke(args=["kb", "import"])
    assert first.exit_code == 0 and "created" in first.output, first.output
    second = runner.invoke(args=["kb", "import"])
    assert "0 created, 0 updated, 0 kept" in second.output, second.output
    with app.app_context(), session_scope() as session:
        entry = session.get(Entry, "faq-gio-lam-viec")
        entry.content = {**entry.content, "answer": {"vi": "Sửa bởi cán bộ", "en": "Edited by staff"}}
        entry.source_hash = "file-changed-since"  # as if the data file had changed after the edit
        entry.phrasings.append(Phrasing(text="mấy giờ ủy ban mở cửa vậy", origin="staff"))
    again = runner.invoke(args=["kb", "import"])
    assert again.exit_code == 0 and "0 created, 0 updated, 1 kept" in again.output, again.output
    with app.app_context(), session_scope() as session:
        entry = session.get(Entry, "faq-gio-lam-viec")
        assert entry.content["answer"]["vi"] == "Sửa bởi cán bộ"
        staff = session.scalars(select(Phrasing).where(Phrasing.origin == "staff")).all()
        assert [p.text for p in staff] == ["mấy giờ ủy ban mở cửa vậy"]


def test_import_refreshes_an_entry_nobody_edited(app, runner):
    from knowledge.store import content_hash

    runner.invoke(args=["kb", "import"])
    with app.app_context(), session_scope() as session:
        entry = session.get(Entry, "khai-sinh")
        stale = {**entry.content, "fee": None}
        entry.content, entry.source_hash = stale, content_hash(stale)  # an import of an older file
    result = runner.invoke(args=["kb", "import"])
    assert "0 created, 1 updated, 0 kept" in result.output, result.output
    with app.app_context(), session_scope() as session:
        assert session.get(Entry, "khai-sinh").content["fee"] is not None


def test_match_writes_one_json_object_per_line(runner):
    lines = ["đăng ký khai sinh cần giấy tờ gì", "", "giá vàng hôm nay", "x" * 6000, "🙂"]
    result = runner.invoke(args=["kb", "match"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(answers) == len(lines)
    assert answers[0]["intent"] == "khai-sinh"
    assert all(a["intent"] == "none" for a in answers[1:])
    assert all(isinstance(a["score"], (int, float)) for a in answers)


def test_check_reports_a_missing_catalogue_id(runner, tmp_path):
    catalogue = tmp_path / "intents.tsv"
    catalogue.write_text("id\tkind\tname_vi\tname_en\nkhai-sinh\tprocedure\tx\ty\nno-such-thing\tfaq\tx\ty\n")
    result = runner.invoke(args=["kb", "check", str(catalogue)])
    assert result.exit_code == 1 and "no-such-thing: no entry" in result.output


@pytest.mark.embedded
@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval not present")
def test_development_set_meets_the_bar(tmp_path):
    """The figures of issue 2, through the very command the scorer runs."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'score.db'}", "SECRET_KEY": "score"}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    result = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--show", "0",
         "--min-accuracy", "0.97", "--min-rejection", "0.90", "--max-wrong", "0.02"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
