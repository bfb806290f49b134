"""The catalogue tier on residents' messages written for this project (issue 13), for tuning the ranker.

    .venv/bin/python bench/catalogue_residents.py [--set FILE]... [--show N] [--kinds N]

Runs every line of the residents' sets (every knowledge/data/catalogue_residents*.tsv, or the
files given with --set) through the bot's whole path (curated intents first, then the catalogue:
`catalogue_tier.resolve`, as `flask --app app kb match` does) with the thresholds in knowledge/data/catalogue_thresholds.yaml, and scores it as
`../shared/eval/score.py --set` scores a catalogue set: found = answered with an acceptable code,
wrong = answered with a code when the line is `none` or with a code not listed, rejection =
`none` lines answered with no code. It also prints the recall of the catalogue search alone
(an acceptable code among its first 1, 3 and 12 hits), the figures per domain and per kind of
wording (the note column), the most frequent kinds of failure, and the failures themselves.
The set is the project's own; never add its lines as phrasings (it would stop measuring anything).
"""
from __future__ import annotations

import argparse
import collections
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from knowledge.catalogue_calibrate import RESIDENTS, Prepared, Tally, answer, prepare, residents_lines  # noqa: E402
from knowledge.catalogue_tier import TierAnswer  # noqa: E402

STYLES = ("story", "nodiac", "teencode", "en", "short", "fee", "time")


def rank(item: Prepared) -> int | None:
    """1-based rank of the first acceptable code among the catalogue's hits."""
    return next((n for n, hit in enumerate(item.hits, 1) if hit.code in item.line.codes), None)


def failure(item: Prepared, answered: TierAnswer) -> str | None:
    """The kind of failure of one line (None when it is right)."""
    code, match = answered.code, answered.match
    if item.line.out_of_scope:
        if code is None:
            return None
        return "out of scope → catalogue answered" if answered.from_catalogue else \
            f"out of scope → curated {match.intent} answered"
    if code in item.line.codes:
        return None
    at = rank(item)
    where = "not in the shortlist" if at is None else "right code 1st" if at == 1 else \
        "right code 2nd-3rd" if at <= 3 else "right code 4th-12th"
    if code is not None and not answered.from_catalogue:
        return f"curated {match.intent} answered its own procedure ({where})"
    if code is not None:  # the catalogue's answer, or its sibling of a curated procedure
        over = f", over curated {match.intent}" if match.decision == "answer" else ""
        return f"catalogue answered another code ({where}{over})"
    if match.decision == "answer":
        return f"curated {match.intent} answered without a procedure ({where})"
    decision = answered.catalogue.decision if answered.catalogue is not None else "none"
    if decision == "clarify":
        return f"catalogue asked to choose ({where})"
    return f"no answer ({where})"


def figures(counts: Tally) -> str:
    """found over in-scope lines, rejection over out-of-scope lines (each only when there are some)."""
    parts = [f"found {counts.found_share:.3f}"] if counts.in_scope else []
    parts += [f"rejection {counts.rejection:.3f}"] if counts.out_of_scope else []
    return ", ".join(parts + [f"wrong {counts.wrong_share:.3f} (catalogue tier's {counts.wrong_tier_share:.3f})"])


def count(item: Prepared, answered: TierAnswer) -> Tally:
    code, counts = answered.code, Tally()
    if item.line.out_of_scope:
        counts.out_of_scope, counts.refused, bad = 1, int(code is None), code is not None
    else:
        counts.in_scope, counts.found = 1, int(code in item.line.codes)
        bad = code is not None and code not in item.line.codes
    counts.wrong, counts.wrong_tier = int(bad), int(bad and answered.from_catalogue)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", help="a residents' file (repeatable; default all of them)")
    parser.add_argument("--show", type=int, default=0, help="how many failures to print")
    parser.add_argument("--kinds", type=int, default=20, help="how many kinds of failure to print")
    args = parser.parse_args()
    args.set = tuple(args.set or RESIDENTS)
    logging.disable(logging.INFO)
    app = create_app()
    with app.app_context():
        from knowledge.catalogue_cli import ensure_catalogue
        from knowledge.catalogue_store import catalogue
        from knowledge.cli import ensure_knowledge_base
        from knowledge.store import knowledge_base

        ensure_knowledge_base()
        ensure_catalogue()
        snapshot, index = knowledge_base().snapshot(), catalogue().index()
        if index is None:
            sys.exit("no catalogue imported: `flask --app app catalogue import DIR` first")
        items = prepare(snapshot, index, residents_lines(args.set), app.config["MAX_MESSAGE_CHARS"])
        run(items, [answer(snapshot, index, item, index.thresholds) for item in items], index.thresholds, args)


def run(items: list[Prepared], answers: list[TierAnswer], thresholds: object, args: argparse.Namespace) -> None:
    total, domains, styles = Tally(), collections.defaultdict(Tally), collections.defaultdict(Tally)
    kinds, by_domain, confusions = collections.Counter(), collections.Counter(), collections.Counter()
    failures = []
    for item, answered in zip(items, answers):
        counts = count(item, answered)
        total.add(counts)
        tags = item.line.note.split()
        domain = "none" if item.line.out_of_scope else (tags[0] if tags else "?")
        domains[domain].add(counts)
        for style in STYLES:
            if style in tags:
                styles[style].add(counts)
        kind = failure(item, answered)
        if kind is not None:
            kinds[kind] += 1
            by_domain[f"{kind} [{domain}]"] += 1
            gold = ",".join(sorted(item.line.codes))[:17] if item.line.codes else "none"
            confusions[f"{gold} → {answered.code or 'none'}"] += 1
            failures.append((kind, gold, answered.code or "none", item.line.text))
    in_scope = [item for item in items if not item.line.out_of_scope]
    ranks = [rank(item) for item in in_scope]
    recall = {n: sum(r is not None and r <= n for r in ranks) / max(len(ranks), 1) for n in (1, 3, 12)}

    print(f"{' + '.join(path.name for path in args.set)}: {len(items)} messages ({total.in_scope} in scope, {total.out_of_scope} out of scope), "
          f"thresholds {thresholds}")
    print(f"whole path (as score.py): {figures(total)}")
    print(f"catalogue search alone, an acceptable code among the first hits: top-1 {recall[1]:.3f}, "
          f"top-3 {recall[3]:.3f}, top-12 {recall[12]:.3f}")
    print("per domain:")
    for domain, counts in sorted(domains.items(), key=lambda kv: -(kv[1].in_scope + kv[1].out_of_scope)):
        size = counts.in_scope or counts.out_of_scope
        print(f"  {domain:14} {size:4} lines  {figures(counts)}")
    print("per kind of wording:")
    for style, counts in styles.items():
        print(f"  {style:14} {counts.in_scope + counts.out_of_scope:4} lines  {figures(counts)}")
    families = collections.Counter(
        "curated intent answered its own procedure" if "answered its own procedure" in kind
        else "curated intent answered without a procedure" if "answered without a procedure" in kind
        else "out of scope → curated intent answered" if kind.startswith("out of scope → curated")
        else kind.split(" (")[0] for kind in kinds.elements())
    print("failures by family: " + ", ".join(f"{family} x{n}" for family, n in families.most_common()))
    print(f"{args.kinds} most frequent kinds of failure:")
    for kind, n in kinds.most_common(args.kinds):
        print(f"  {n:4}  {kind}")
    print(f"{args.kinds} most frequent kinds of failure per domain:")
    for kind, n in by_domain.most_common(args.kinds):
        print(f"  {n:4}  {kind}")
    print("most frequent confusions: " + ", ".join(f"{c} x{n}" for c, n in confusions.most_common(10)))
    for kind, gold, got, text in failures[:args.show]:
        print(f"  want {gold:17} got {got:9} {kind[:48]:48} {text[:90]}")


if __name__ == "__main__":
    main()
