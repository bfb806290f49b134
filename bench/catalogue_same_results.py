"""The catalogue search gives the same results as before a speed change (issue 13).

    python bench/catalogue_same_results.py --save OLD.jsonl     (with the code before the change)
    python bench/catalogue_same_results.py --against OLD.jsonl  (with the code after it)

Searches every message of knowledge/data/catalogue_residents.tsv, tests/knowledge/intent_residents.tsv
and bench/resident_messages.txt, and questions generated from the procedures' titles and keywords,
over the whole snapshot, without a province and with two, and writes (or compares) every hit's
code and score to 4 decimals, with the message's features and the index's own figures. Exits 1
on the first difference. A speed change must not change a single result.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue_bench import procedures  # noqa: E402
from knowledge.catalogue_calibrate import generated_questions  # noqa: E402
from knowledge.catalogue_index import CatalogueIndex  # noqa: E402
from knowledge.catalogue_store import DEFAULT_SNAPSHOT, load_thresholds  # noqa: E402
from knowledge.normalize import strip_diacritics  # noqa: E402

PROVINCES = (None, "Tỉnh Thanh Hóa", "Thành phố Hà Nội")
SOURCES = (ROOT / "knowledge" / "data" / "catalogue_residents.tsv", ROOT / "tests" / "knowledge" / "intent_residents.tsv")


def messages(index: CatalogueIndex, generated: int) -> list[str]:
    """Every message of the residents' sets and the load benchmark, and generated questions;
    each also without diacritics."""
    texts: list[str] = []
    for path in SOURCES:
        rows = csv.reader((line for line in path.read_text(encoding="utf-8").splitlines()
                           if line and not line.startswith("#")), delimiter="\t")
        next(rows)  # header
        column = 0 if path.name == "catalogue_residents.tsv" else 1
        texts += [row[column] for row in rows if len(row) > column]
    texts += [line.strip() for line in (ROOT / "bench" / "resident_messages.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    texts += [text for text, _gold in generated_questions(index, count=generated, seed=5)]
    texts += [f"{index.titles[i]} ở đâu" for i in range(0, len(index.procedures), 7)]
    texts += [strip_diacritics(t) for t in texts]
    return list(dict.fromkeys(texts))


def results(index: CatalogueIndex, texts: list[str]) -> Iterator[dict]:
    for text in texts:
        features = index.query_features(text)
        for province in PROVINCES:
            hits = index.search(text, province)
            yield {"text": text, "province": province, "features": features,
                   "hits": [[h.code, f"{h.score:.4f}"] for h in hits]}


def main() -> int:
    ap = argparse.ArgumentParser()
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--against", type=Path)
    ap.add_argument("--generated", type=int, default=3000)
    args = ap.parse_args()
    index = CatalogueIndex(procedures(DEFAULT_SNAPSHOT), load_thresholds())
    texts = messages(index, args.generated)
    summary = {"phrases": len(index.phrase_entry), "features": len(index.weights),
               "weights": f"{sum(index.weights.values()):.6f}", "messages": len(texts)}
    if args.save:
        with args.save.open("w", encoding="utf-8") as out:
            out.write(json.dumps(summary, ensure_ascii=False) + "\n")
            for row in results(index, texts):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"saved {len(texts)} messages x {len(PROVINCES)} provinces to {args.save}")
        return 0
    with args.against.open(encoding="utf-8") as old:
        saved = json.loads(next(old))
        if saved != summary:
            print(f"index differs: {saved} before, {summary} now")
            return 1
        compared = 0
        for row, line in zip(results(index, texts), old, strict=True):
            before = json.loads(line)
            if row != before:
                print(f"differs: {json.dumps(before, ensure_ascii=False)}\n    now: {json.dumps(row, ensure_ascii=False)}")
                return 1
            compared += 1
    print(f"identical: {len(texts)} messages x {len(PROVINCES)} provinces ({compared} searches), "
          f"{summary['phrases']} phrases, {summary['features']} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
