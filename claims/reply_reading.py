"""How the reply check reads a seller's reply before any rule's patterns: cut
into sentences, each read as a normalised copy (text-speak and misspellings
spelled out, curly apostrophes straightened) that maps back to the seller's own
words, and whether a match stands under a negation or in the customer's words
repeated back. Pure; `claims.reply_check` applies the rules."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

__all__ = ["negated", "normalise", "original_position", "quote", "reported", "sentences"]

# How far back a negation still governs the words it precedes.
NEGATION_WINDOW_WORDS = 4
_NEGATION = re.compile(
    r"(?<![\w'’])(?:not|no|never|nothing|cannot|can['’]?t|won['’]?t|don['’]?t|doesn['’]?t|"
    r"didn['’]?t|isn['’]?t|aren['’]?t|shouldn['’]?t|wouldn['’]?t|couldn['’]?t|unable|"
    r"without|nor|neither|instead\s+of|rather\s+than)(?![\w'’])",
    re.IGNORECASE,
)
# Reassurances carry a negation word but negate nothing that follows: "dont
# worry I'll resend it today" still promises. "Don't worry about sending it
# back" does negate the sending.
_REASSURANCE = re.compile(
    r"(?<![\w'’])(?:(?:don['’]?t|do\s+not|no\s+need\s+to)\s+(?:you\s+)?worry"
    r"(?!\s+about\s+\w+ing\b)|no\s+worries|no\s+problem|not\s+a\s+problem)(?![\w'’])",
    re.IGNORECASE,
)
# The customer's words, repeated back: whatever follows in the clause is
# theirs ("You asked if I could just send another one").
_REPORTED_SAYING = re.compile(
    r"\b(?:you|the\s+customer)(?:'ve|'d|\s+have|\s+had)?\s+(?:\w+\s+)?(?:mentioned|asked|said|"
    r"wrote|told\s+(?:me|us)|suggested|wondered|requested|enquired|inquired|queried)\b",
    re.IGNORECASE,
)
# What the customer wants, repeated back: only its direct object is theirs
# ("you'd like your money back"), not a promise that follows ("if you want
# I'll refund you").
_REPORTED_WISH = re.compile(
    r"\b(?:you|the\s+customer)(?:'d\s+(?:like|prefer)|(?:'ve|'d|\s+\w+)?\s+(?:want|wanted|"
    r"wanting|would\s+like|would\s+prefer|prefer|preferred|were\s+hoping\s+for|hoped\s+for|"
    r"(?:are|'re|were)\s+(?:after|asking\s+for|expecting)|asked\s+for|expected))\b",
    re.IGNORECASE,
)
# Before a wish, these make it the seller's offer ("do you want a refund?",
# "if you'd prefer a refund").
_OFFER_LEAD = re.compile(
    r"\b(?:do|did|would|will|if|unless|whether|should|could|can|shall)\s*$", re.IGNORECASE
)
_SELLER_SUBJECT = re.compile(r"\b(?:i|we)\b", re.IGNORECASE)
# Text-speak and misspellings, spelled out before matching. Words only
# (no letters, digits, apostrophes or hyphens either side): "U-bend" stays.
_SPELLED_OUT = {
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "n": "and",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "thru": "through",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "2day": "today",
    "tonite": "tonight",
    "b4": "before",
    "rn": "right now",
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "cant": "can't",
    "wont": "won't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "arent": "aren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "ive": "i've",
    "im": "i'm",
    "ill": "i'll",
    "youre": "you're",
    "youll": "you'll",
    "youve": "you've",
    "youd": "you'd",
    "thats": "that's",
    "whats": "what's",
    "theres": "there's",
    "weve": "we've",
    "theyll": "they'll",
    "theyre": "they're",
    "recieve": "receive",
    "recieved": "received",
    "definately": "definitely",
    "definatly": "definitely",
    "defo": "definitely",
    "sory": "sorry",
    "replacment": "replacement",
    "replacemnt": "replacement",
    "refud": "refund",
    "refnd": "refund",
    "apologise": "apologize",
    "colour": "color",
    "cheque": "check",
}
_WORD = re.compile(
    r"(?<![\w'’-])(?:"
    + "|".join(sorted(map(re.escape, _SPELLED_OUT), key=len, reverse=True))
    + r")(?![\w'’-])|[’‘]|&",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# Where a clause ends inside a sentence: a negation before one of these does
# not reach past it ("Don't worry, we'll refund you").
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s[-–—]\s|\bbut\b", re.IGNORECASE)
# A quote longer than this is cut around the match.
QUOTE_MAX = 160


def sentences(text: str) -> list[str]:
    """The reply's sentences, trimmed, in order."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def normalise(sentence: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The sentence as the patterns read it, and where its pieces start in the
    original: (position in the copy, position in the sentence) pairs."""
    pieces: list[str] = []
    anchors = [(0, 0)]
    last = length = 0
    for match in _WORD.finditer(sentence):
        word = match.group()
        spelled = "'" if word in "’‘" else " and " if word == "&" else _SPELLED_OUT[word.lower()]
        pieces.append(sentence[last : match.start()])
        length += match.start() - last
        anchors.append((length, match.start()))
        pieces.append(spelled)
        length += len(spelled)
        anchors.append((length, match.end()))
        last = match.end()
    pieces.append(sentence[last:])
    return "".join(pieces), tuple(anchors)


def original_position(anchors: Sequence[tuple[int, int]], position: int) -> int:
    index = bisect_right(anchors, (position, float("inf"))) - 1
    copied, original = anchors[index]
    return original + (position - copied)


def reported(sentence: str, start: int) -> bool:
    """The match stands in the customer's words, repeated back in this clause."""
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    if _REPORTED_SAYING.search(before):
        return True
    for wish in _REPORTED_WISH.finditer(before):
        if _OFFER_LEAD.search(before[: wish.start()]):
            continue
        if not _SELLER_SUBJECT.search(before[wish.end() :]):
            return True
    return False


def negated(sentence: str, start: int) -> bool:
    """A negation among the few words before `start`, within the same clause."""
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    # Read on the whole sentence: what follows "don't worry" decides whether
    # it is a reassurance.
    if _REASSURANCE.search(sentence):
        masked = _REASSURANCE.sub(lambda m: " " * len(m.group()), sentence)
        before = masked[start - len(before) : start]
    window = " ".join(before.split()[-NEGATION_WINDOW_WORDS:])
    return bool(_NEGATION.search(window))


def quote(sentence: str, start: int, end: int) -> str:
    if len(sentence) <= QUOTE_MAX:
        return sentence
    half = (QUOTE_MAX - (end - start)) // 2
    start = max(0, start - max(half, 0))
    end = min(len(sentence), start + QUOTE_MAX)
    return (
        ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")
    )
