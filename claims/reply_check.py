"""The reply check: what in a seller's reply to the customer the guide forbids
for this claim's case, quoted back with the rule and a safer wording.

Pure: `check(text, facts, rules)` takes the reply, the claim's answers and the
active check rules (plain `CheckRule`s built from the admin-edited
`ReplyCheckRule` rows) and returns the findings. No ORM, no request.
`tests/claims/test_reply_check.py` is its table, and `make reply-check`
measures it on a labelled set of seller replies.

How a rule finds something:
- the reply is cut into sentences, and each sentence into clauses at commas,
  semicolons, colons and dashes: "Don't worry, we'll refund you" is two clauses;
- a rule fires on a clause one of its patterns matches, unless
  - a negation stands among the few words just before the match, in the same
    clause ("we will not refund", "no need to send it back", "I can't offer a
    refund yet"), or
  - one of the rule's "safe when" patterns matches the sentence ("we'll
    replace it once we have reviewed the photos" on a seller-managed order);
- each rule is reported once, quoting the first sentence it fired on.

Speed: each rule's patterns are also joined into one alternation, its
prefilter (`CheckRule.prefilter`, built once per rule). When every pattern is
case-insensitive and written in lower case, the prefilter is compiled
case-sensitively and run on the lower-cased sentence, which is several times
faster than a case-insensitive search. A sentence the prefilter does not match
is skipped; only then are the rule's own patterns, negations and "safe when"
patterns tried, so the findings are the same as trying every pattern on every
sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claims.choices import FulfillmentMethod, IssueType
from claims.rules import ClaimFacts

__all__ = ["CheckRule", "Finding", "check", "compile_patterns", "sentences"]

# How far back a negation still governs the words it precedes.
NEGATION_WINDOW_WORDS = 4
_NEGATION = re.compile(
    r"(?<![\w'’])(?:not|no|never|nothing|cannot|can['’]?t|won['’]?t|don['’]?t|doesn['’]?t|"
    r"didn['’]?t|isn['’]?t|aren['’]?t|shouldn['’]?t|wouldn['’]?t|couldn['’]?t|unable|"
    r"without|nor|neither|instead\s+of|rather\s+than)(?![\w'’])",
    re.IGNORECASE,
)
# Reassurances carry a negation word but negate nothing that follows: "dont
# worry I'll resend it today" still promises.
_REASSURANCE = re.compile(
    r"(?<![\w'’])(?:(?:don['’]?t|do\s+not|no\s+need\s+to)\s+(?:you\s+)?worry|no\s+worries|"
    r"no\s+problem|not\s+a\s+problem)(?![\w'’])",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# Where a clause ends inside a sentence: a negation before one of these does
# not reach past it ("Don't worry, we'll refund you").
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s[-–—]\s|\bbut\b", re.IGNORECASE)
# A quote longer than this is cut around the match.
QUOTE_MAX = 160


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _prefilter(patterns: Sequence[re.Pattern[str]]) -> tuple[re.Pattern[str] | None, bool]:
    """One alternation of `patterns`, and whether it runs on lower-cased text.

    A case-insensitive pattern written all in lower case (so no upper-case
    escape such as \\S or \\W either) matches a text exactly where it matches
    the text lower-cased without IGNORECASE (short of a few exotic Unicode
    case pairs); that search is much faster.
    """
    flags = {p.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE) for p in patterns}
    # Joined, back-references would point at other patterns' groups, and
    # patterns with different flags cannot share one set.
    if len(flags) != 1 or any(_BACKREFERENCE.search(p.pattern) for p in patterns):
        return None, False
    source = "|".join(f"(?:{p.pattern})" for p in patterns)
    (shared,) = flags
    lower = bool(shared & re.IGNORECASE) and source == source.lower()
    try:
        return re.compile(source, shared & ~re.IGNORECASE if lower else shared), lower
    except re.error:
        # e.g. a pattern with inline global flags, or too many groups.
        return None, False


@dataclass(frozen=True)
class CheckRule:
    """One thing the guide forbids in a reply, for the cases it applies to."""

    code: str
    name: str
    patterns: tuple[re.Pattern[str], ...]
    safe_when: tuple[re.Pattern[str], ...] = ()
    fulfillment_method: FulfillmentMethod | None = None
    # Empty: every issue type.
    issue_types: frozenset[IssueType] = frozenset()
    international: bool | None = None
    # The guide's words for the rule, the section that explains it, and a
    # safer way to say what the seller meant.
    rule_text: str = ""
    anchor: str = ""
    suggestion: str = ""
    order: int = 0
    # All the patterns as one alternation, to skip sentences no pattern can
    # match; None when they cannot be joined. `prefilter_lower`: the
    # prefilter is case-sensitive and runs on the lower-cased sentence.
    prefilter: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    prefilter_lower: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prefilter, lower = _prefilter(self.patterns)
        object.__setattr__(self, "prefilter", prefilter)
        object.__setattr__(self, "prefilter_lower", lower)

    def applies_to(self, facts: ClaimFacts) -> bool:
        return (
            (self.fulfillment_method is None or self.fulfillment_method == facts.fulfillment_method)
            and (not self.issue_types or facts.issue_type in self.issue_types)
            and (self.international is None or self.international == facts.is_international)
        )


@dataclass(frozen=True)
class Finding:
    """A rule the reply breaks: the seller's own words, the rule and a safer wording."""

    code: str
    name: str
    quote: str
    rule_text: str
    anchor: str
    suggestion: str


def compile_patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """One case-insensitive regular expression per non-empty line.

    Raises ValueError naming the first line that is not a valid expression.
    """
    patterns = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            patterns.append(re.compile(line, re.IGNORECASE))
        except re.error as error:
            raise ValueError(f"line {number}: {line!r} is not a valid pattern ({error})") from None
    return tuple(patterns)


def sentences(text: str) -> list[str]:
    """The reply's sentences, trimmed, in order."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _negated(sentence: str, start: int) -> bool:
    """A negation among the few words before `start`, within the same clause."""
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    before = _REASSURANCE.sub(" ", before)
    window = " ".join(before.split()[-NEGATION_WINDOW_WORDS:])
    return bool(_NEGATION.search(window))


def _quote(sentence: str, match: re.Match[str]) -> str:
    if len(sentence) <= QUOTE_MAX:
        return sentence
    half = (QUOTE_MAX - (match.end() - match.start())) // 2
    start = max(0, match.start() - max(half, 0))
    end = min(len(sentence), start + QUOTE_MAX)
    return (
        ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")
    )


def _first_unsafe(rule: CheckRule, parts: Sequence[str], lowered: Sequence[str]) -> str | None:
    prefilter = rule.prefilter
    for sentence, lower in zip(parts, lowered, strict=True):
        if prefilter is not None and not prefilter.search(
            lower if rule.prefilter_lower else sentence
        ):
            continue
        if any(safe.search(sentence) for safe in rule.safe_when):
            continue
        for pattern in rule.patterns:
            for match in pattern.finditer(sentence):
                if not _negated(sentence, match.start()):
                    return _quote(sentence, match)
    return None


def check(text: str, facts: ClaimFacts, rules: Iterable[CheckRule]) -> tuple[Finding, ...]:
    """Every rule for this claim's case that the reply breaks, in the rules' order."""
    parts = sentences(text)
    lowered = [sentence.lower() for sentence in parts]
    findings: list[Finding] = []
    seen: set[str] = set()
    for rule in sorted(rules, key=lambda r: r.order):
        if rule.code in seen or not rule.applies_to(facts):
            continue
        quote = _first_unsafe(rule, parts, lowered)
        if quote is not None:
            seen.add(rule.code)
            findings.append(
                Finding(rule.code, rule.name, quote, rule.rule_text, rule.anchor, rule.suggestion)
            )
    return tuple(findings)
