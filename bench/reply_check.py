"""`make reply-check`: how well the reply check catches what the guide forbids.

Runs the seeded check rules (claims/migrations/0007_seed_reply.py as updated
by 0011_reply_check_reading.py, the rules every new install starts with) over
the labelled seller replies and prints precision and recall per rule, per
split and overall, then how long one check of a 2,000-character reply takes,
with all rules and with each rule alone.

The splits: the first set (tests/claims/data/seller_replies.jsonl) halved by
a hash of the id into "dev", the half patterns may be tuned on, and
"held-out"; and "fresh" (seller_replies_fresh.jsonl), written later from the
guide before any tuning and measured only before and after it, never used to
tune. Every set was labelled from the guide, without the patterns.

Precision: of the findings raised, how many the labels agree with. Recall: of
the rule breaks the labels list, how many were found. "Replies": an unsafe
reply counts as caught when it gets at least one finding, and a safe reply as
a false alarm when it gets any.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "claims" / "data" / "seller_replies.jsonl"
FRESH = ROOT / "tests" / "claims" / "data" / "seller_replies_fresh.jsonl"
SPLITS = ("dev", "held-out", "fresh")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcentre.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "reply-check-bench-only")
    import django

    django.setup()


def seeded_check_rules():
    """The check rules the 0007 migration seeds, as plain `CheckRule`s."""
    from claims.choices import FulfillmentMethod, IssueType
    from claims.reply_check import CheckRule, compile_patterns

    seed = importlib.import_module("claims.migrations.0007_seed_reply")
    reading = importlib.import_module("claims.migrations.0011_reply_check_reading")
    return tuple(
        CheckRule(
            code=code,
            name=name,
            patterns=compile_patterns(patterns),
            safe_when=compile_patterns(safe_when),
            fulfillment_method=FulfillmentMethod(method) if method else None,
            issue_types=frozenset(IssueType(value) for value in issues),
            international=(destination == "international") if destination else None,
            rule_text=rule_text,
            anchor=anchor,
            suggestion=suggestion,
            order=order,
        )
        for (code, name, method, issues, destination, patterns, safe_when, rule_text, anchor,
             suggestion, order) in reading.updated_rules(seed.RULES)
    )  # fmt: skip


def labelled_replies(paths: tuple[Path, ...] = (DATA, FRESH)) -> list[dict]:
    return [
        json.loads(line) for path in paths for line in path.read_text().splitlines() if line.strip()
    ]


def split_of(reply: dict) -> str:
    """ "fresh" for the later set, else "dev" or "held-out" from a stable hash
    of the reply's id."""
    if reply["id"].startswith("fresh-"):
        return "fresh"
    digest = hashlib.sha256(reply["id"].encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "held-out"


def facts_of(reply: dict):
    from claims.facts import ClaimFacts

    return ClaimFacts(
        issue_type=reply["issue_type"],
        fulfillment_method=reply["fulfillment"],
        is_international=reply["international"],
    )


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


@dataclass(frozen=True)
class Evaluation:
    per_rule: dict[str, Score]
    overall: Score
    unsafe_caught: int
    unsafe_total: int
    safe_flagged: int
    safe_total: int
    # (id, expected, found) for every reply the check got wrong.
    mistakes: list[tuple[str, list[str], list[str]]]


def evaluate(replies: list[dict], rules) -> Evaluation:
    from claims.reply_check import check

    counts: dict[str, Counter] = {rule.code: Counter() for rule in rules}
    mistakes = []
    unsafe_caught = unsafe_total = safe_flagged = safe_total = 0
    for reply in replies:
        expected = set(reply["expected"])
        found = {finding.code for finding in check(reply["text"], facts_of(reply), rules)}
        for code in found | expected:
            tally = counts.setdefault(code, Counter())
            if code in found and code in expected:
                tally["tp"] += 1
            elif code in found:
                tally["fp"] += 1
            else:
                tally["fn"] += 1
        if expected:
            unsafe_total += 1
            unsafe_caught += bool(found)
        else:
            safe_total += 1
            safe_flagged += bool(found)
        if found != expected:
            mistakes.append((reply["id"], sorted(expected), sorted(found)))
    per_rule = {code: Score(c["tp"], c["fp"], c["fn"]) for code, c in counts.items()}
    overall = Score(
        sum(s.true_positives for s in per_rule.values()),
        sum(s.false_positives for s in per_rule.values()),
        sum(s.false_negatives for s in per_rule.values()),
    )
    return Evaluation(
        per_rule, overall, unsafe_caught, unsafe_total, safe_flagged, safe_total, mistakes
    )


def long_reply(replies: list[dict], length: int = 2000) -> dict:
    """A realistic reply of `length` characters: the set's longest replies of
    one case, joined."""
    ordered = sorted(replies, key=lambda r: -len(r["text"]))
    first = ordered[0]
    same_case = [
        r
        for r in ordered
        if (r["fulfillment"], r["issue_type"], r["international"])
        == (first["fulfillment"], first["issue_type"], first["international"])
    ]
    text = ""
    for reply in same_case * 10:
        text += reply["text"] + "\n\n"
        if len(text) >= length:
            break
    return {**first, "text": text[:length]}


def timing_ms(reply: dict, rules, runs: int, clock=time.perf_counter) -> list[float]:
    """Milliseconds per check. `clock=time.thread_time` counts only the CPU
    time the check itself used: on a machine shared with other work, wall
    time also counts the waits for a free core."""
    from claims.reply_check import check

    facts = facts_of(reply)
    times = []
    for _ in range(runs):
        start = clock()
        check(reply["text"], facts, rules)
        times.append((clock() - start) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def print_table(result: Evaluation, p95_ms: dict[str, float] | None = None) -> None:
    timed = p95_ms is not None
    print(
        "| rule | breaks labelled | found | precision | recall |" + (" p95 ms |" if timed else "")
    )
    print("|---|---:|---:|---:|---:|" + ("---:|" if timed else ""))
    for code, score in sorted(result.per_rule.items()):
        labelled = score.true_positives + score.false_negatives
        found = score.true_positives + score.false_positives
        ms = f" {p95_ms[code]:.2f} |" if timed and code in p95_ms else (" |" if timed else "")
        print(f"| {code} | {labelled} | {found} | {score.precision:.2f} | {score.recall:.2f} |{ms}")
    o = result.overall
    labelled, found = o.true_positives + o.false_negatives, o.true_positives + o.false_positives
    ms = f" {p95_ms['overall']:.2f} |" if timed else ""
    print(
        f"| **overall** | {labelled} | {found} | **{o.precision:.2f}** | **{o.recall:.2f}** |{ms}"
    )
    print(
        f"\nReplies: {result.unsafe_caught} of {result.unsafe_total} unsafe replies flagged "
        f"({result.unsafe_caught / max(1, result.unsafe_total):.2f}); "
        f"{result.safe_flagged} of {result.safe_total} safe replies flagged by mistake."
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="checks timed (default 2000)")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time with the thread's CPU time instead of wall time (for a busy machine)",
    )
    parser.add_argument(
        "--mistakes",
        action="store_true",
        help="list every reply got wrong, except the fresh split's",
    )
    parser.add_argument(
        "--dev-mistakes",
        action="store_true",
        help="list the replies of the dev half got wrong, with their text (for tuning)",
    )
    args = parser.parse_args(argv)
    _setup_django()
    rules = seeded_check_rules()
    replies = labelled_replies()

    print(
        f"Reply check on {len(replies)} labelled seller replies ({DATA.parent.relative_to(ROOT)})"
    )
    parts = {"all": replies} | {
        name: [r for r in replies if split_of(r) == name] for name in SPLITS
    }
    results = {name: evaluate(part, rules) for name, part in parts.items()}
    sample = long_reply([r for r in replies if split_of(r) != "fresh"])
    clock = time.thread_time if args.cpu else time.perf_counter
    times = timing_ms(sample, rules, args.runs, clock)
    # Each rule alone on the same reply, on a case it applies to.
    p95_ms = {"overall": percentile(times, 0.95)}
    for rule in rules:
        rule_sample = long_reply([r for r in replies if rule.applies_to(facts_of(r))])
        p95_ms[rule.code] = percentile(timing_ms(rule_sample, [rule], args.runs // 4, clock), 0.95)
    for name, part in parts.items():
        print(f"\n### {name} ({len(part)} replies)\n")
        print_table(results[name], p95_ms if name == "all" else None)
    print("\n| split | replies | precision | recall |")
    print("|---|---:|---:|---:|")
    for name, part in parts.items():
        o = results[name].overall
        print(f"| {name} | {len(part)} | {o.precision:.2f} | {o.recall:.2f} |")
    result = results["all"]
    print(
        f"\nOne check of a {len(sample['text'])}-character reply, {args.runs} runs: "
        f"median {statistics.median(times):.2f} ms, p95 {percentile(times, 0.95):.2f} ms, "
        f"max {max(times):.2f} ms (target: p95 under 5 ms). Per rule: the same length, "
        f"that rule alone, {args.runs // 4} runs. Clock: "
        + ("CPU time of the checking thread." if args.cpu else "wall time.")
    )
    if args.mistakes:
        # Not the fresh split: it is measured, never read for tuning.
        print("\nGot wrong outside the fresh split (id: expected -> found):")
        for reply_id, expected, found in result.mistakes:
            if reply_id.startswith("fresh-"):
                continue
            print(f"  {reply_id}: {expected} -> {found}")
    if args.dev_mistakes:
        by_id = {r["id"]: r for r in parts["dev"]}
        print("\nDev half got wrong (id: expected -> found, then the reply and its note):")
        for reply_id, expected, found in results["dev"].mistakes:
            reply = by_id[reply_id]
            print(f"  {reply_id}: {expected} -> {found}")
            print(f"    {reply['text']}")
            if reply.get("note"):
                print(f"    note: {reply['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
