"""The curated intents on residents' messages written for this project (issue 13, part 3).

    PATH=.venv/bin:$PATH python bench/intent_residents.py [--show N] [--index]

Feeds every line of tests/knowledge/intent_residents.tsv to `flask --app app kb match` (the bot's
whole path: curated intents, then the catalogue tier, as ../shared/eval/score.py runs it) and
prints, overall and per kind of message (long stories, English, an abbreviation alone, status
lookups, indirect requests for a person, out of scope, ordinary questions), the figures
score.py defines: accuracy = in-scope lines answered with their intent, rejection = `none`
lines answered with "none", wrong = lines answered with another intent. `--index` scores the
curated matcher alone, in process (what tests/knowledge/test_intent_residents.py asserts).
The set is the project's own; never add its lines as phrasings (it would stop measuring anything).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "knowledge" / "intent_residents.tsv"


def read_set(path: Path = SET) -> list[tuple[str, str, str]]:
    """(kind, intent, text) for every line; a '# kind: NAME' line starts a block."""
    rows, kind = [], "ordinary"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# kind:"):
            kind = line.split(":", 1)[1].strip()
        elif line.strip() and not line.startswith("#") and line != "intent\ttext":
            intent, text = line.split("\t")
            rows.append((kind, intent, text))
    return rows


def answers_from_flask(texts: list[str]) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "kb", "match"], cwd=ROOT,
                          input="".join(t + "\n" for t in texts), capture_output=True, text=True, check=True)
    return [json.loads(line)["intent"] for line in proc.stdout.splitlines() if line.strip()]


def answers_from_index(texts: list[str]) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from knowledge.calibrate import index_pairs
    from knowledge.content import load_entries
    from knowledge.matcher import MatchIndex
    from knowledge.store import load_thresholds

    entries = load_entries()
    phrasings, names = index_pairs(entries)
    index = MatchIndex(phrasings + names, load_thresholds(), kinds={e.id: e.kind for e in entries})
    return [index.match(t).intent for t in texts]


def figures(rows: list[tuple[str, str, str]], got: list[str]) -> tuple[float, float, float, int]:
    """(accuracy, rejection, wrong, lines) as ../shared/eval/score.py counts them."""
    inside = [(gold, g) for (_, gold, _), g in zip(rows, got) if gold != "none"]
    outside = [g for (_, gold, _), g in zip(rows, got) if gold == "none"]
    wrong = sum(g not in (gold, "none") for (_, gold, _), g in zip(rows, got))
    accuracy = sum(gold == g for gold, g in inside) / len(inside) if inside else 1.0
    rejection = sum(g == "none" for g in outside) / len(outside) if outside else 1.0
    return accuracy, rejection, wrong / len(rows), len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=100, help="how many failures to print")
    ap.add_argument("--index", action="store_true", help="the curated matcher alone, in process")
    args = ap.parse_args()
    rows = read_set()
    texts = [text for _, _, text in rows]
    got = answers_from_index(texts) if args.index else answers_from_flask(texts)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for at, (kind, _, _) in enumerate(rows):
        by_kind[kind].append(at)
    accuracy, rejection, wrong, n = figures(rows, got)
    print(f"intent_residents.tsv: {n} messages, accuracy {accuracy:.3f}, rejection {rejection:.3f}, wrong {wrong:.3f}")
    for kind, ats in by_kind.items():
        a, r, w, n = figures([rows[i] for i in ats], [got[i] for i in ats])
        print(f"  {kind:9} {n:3} lines  accuracy {a:.3f}  rejection {r:.3f}  wrong {w:.3f}")
    misses = [(kind, gold, g, text) for (kind, gold, text), g in zip(rows, got) if g != gold]
    for kind, gold, g, text in misses[: args.show]:
        print(f"  {kind:9} want {gold:22} got {g:22} {text[:100]}")


if __name__ == "__main__":
    main()
