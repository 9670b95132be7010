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

Before matching, each sentence is read as a normalised copy (`claims.reply_reading`):
text-speak and common misspellings spelled out ("u" -> "you", "didnt" ->
"didn't", "tmrw" -> "tomorrow", "recieved" -> "received"), curly apostrophes
straightened, so the patterns need not list every spelling. Findings still
quote the seller's own words.

Besides negation, two readings keep a match from counting:
- reported words: the customer's request, repeated back ("you mentioned
  wanting your money back", "you asked if I could send another one"), is not
  the seller's promise;
- a "safe when" condition governs the promise it comes before, or one it
  follows in the same clause ("we'll replace it once we have reviewed the
  photos"), but not a promise made before it in a clause of its own ("I'll
  send a replacement today and once your photos arrive I'll review them").
  A review the seller says is done ("I've looked at your photos", "your
  photos show...") covers the rest of the reply, not only its sentence.

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
from claims.facts import ClaimFacts
from claims.reply_reading import (
    negated,
    normalise,
    original_position,
    quote,
    reported,
    sentences,
)

__all__ = ["CheckRule", "Finding", "check", "compile_patterns", "normalise", "sentences"]

# Between a promise and a later condition: a new clause of its own, which
# the condition governs instead.
_NEW_CLAUSE = re.compile(r"[;:]|\s[-–—]\s|\b(?:and|but|then|so|plus|also)\b", re.IGNORECASE)
# A condition after the promise governs it only as a subordinate clause:
# "I'll refund you once I've seen the photos", not "I'll refund you, Kingston
# Express reviews these".
_CONDITION_LEAD = re.compile(
    r"\b(?:once|if|after|when|whenever|until|till|unless|pending|subject\s+to|following|"
    r"depending\s+on|provided|providing|assuming|as\s+soon\s+as|as\s+long\s+as|so\s+long\s+as|"
    r"upon|on\s+receipt\s+of|having|before|first)\b",
    re.IGNORECASE,
)
# A "safe when" match that says the review is done (not a condition still
# to come): it covers the rest of the reply.
_REVIEW_DONE = re.compile(
    r"\b(?:i|we)(?:'ve|\s+have|\s+had)\s+(?:\w+\s+)?(?:\w+ed|seen|been\s+through|"
    r"gone\s+through|had\s+a\s+look)\b|\bhaving\s+(?:now\s+)?\w+ed\b|"
    r"\b(?:photos?|pictures?|pics?|images?|records?|log)\b.{0,30}\b(?:show|shows|showed|shown|"
    r"confirm|confirms|confirmed|prove|proves|proved)\b",
    re.IGNORECASE,
)
_STILL_TO_COME = re.compile(
    r"\b(?:once|if|when|whether|after|until|pending|subject|depending|soon|before|will|'ll|"
    r"going|shall|can|could|would|may|might|need|needs)\b",
    re.IGNORECASE,
)

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


def _governed(rule: CheckRule, sentence: str, match: re.Match[str]) -> bool:
    """One of the rule's "safe when" conditions governs this match: it comes
    before it, or after it with no new clause between."""
    for safe in rule.safe_when:
        for condition in safe.finditer(sentence):
            if condition.start() <= match.start():
                return True
            between = sentence[match.end() : condition.start()]
            if _NEW_CLAUSE.search(between):
                continue
            # Right after the promise ("photos of the item are only needed
            # for..."), or led by a conjunction that makes it the promise's
            # condition, ending the text between or starting the condition.
            words = between.split()
            around = " ".join(words[-3:] + condition.group().split()[:3])
            if len(words) <= 3 or _CONDITION_LEAD.search(around):
                return True
    return False


def _review_done(rule: CheckRule, sentence: str) -> bool:
    """The sentence says the review the rule waits for is done."""
    for safe in rule.safe_when:
        for condition in safe.finditer(sentence):
            text = condition.group()
            if _REVIEW_DONE.search(text) and not _STILL_TO_COME.search(text):
                return True
    return False


@dataclass(frozen=True)
class _Sentence:
    original: str
    # As the patterns read it (`normalise`), and that lower-cased.
    read: str
    lower: str
    anchors: tuple[tuple[int, int], ...]
    # Whether it may say a review is done: worth trying the rules' "safe
    # when" patterns for that (found once, not once per rule).
    may_say_done: bool


def _first_unsafe(rule: CheckRule, parts: Sequence[_Sentence]) -> str | None:
    prefilter = rule.prefilter
    review_done = False
    for part in parts:
        sentence = part.read
        if review_done or (
            prefilter is not None
            and not prefilter.search(part.lower if rule.prefilter_lower else sentence)
        ):
            if rule.safe_when and part.may_say_done and not review_done:
                review_done = _review_done(rule, sentence)
            continue
        for pattern in rule.patterns:
            for match in pattern.finditer(sentence):
                if (
                    negated(sentence, match.start())
                    or reported(sentence, match.start())
                    or _governed(rule, sentence, match)
                ):
                    continue
                start = original_position(part.anchors, match.start())
                end = original_position(part.anchors, match.end())
                return quote(part.original, start, end)
        if rule.safe_when and part.may_say_done:
            review_done = _review_done(rule, sentence)
    return None


def check(text: str, facts: ClaimFacts, rules: Iterable[CheckRule]) -> tuple[Finding, ...]:
    """Every rule for this claim's case that the reply breaks, in the rules' order."""
    parts = []
    for sentence in sentences(text):
        read, anchors = normalise(sentence)
        done = bool(_REVIEW_DONE.search(read))
        parts.append(_Sentence(sentence, read, read.lower(), anchors, done))
    findings: list[Finding] = []
    seen: set[str] = set()
    for rule in sorted(rules, key=lambda r: r.order):
        if rule.code in seen or not rule.applies_to(facts):
            continue
        quote = _first_unsafe(rule, parts)
        if quote is not None:
            seen.add(rule.code)
            findings.append(
                Finding(rule.code, rule.name, quote, rule.rule_text, rule.anchor, rule.suggestion)
            )
    return tuple(findings)
