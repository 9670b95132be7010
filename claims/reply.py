"""The reply to the customer, composed for this claim.

The result page's promise is "what to do next and what to reply": so the reply
is not the guide's template in general but the message for this case, built
from the claim's facts and the guidance rows:

    Hello Ada,

    <the guide's template sentence for the path, word for word>

    <the case lines: what to photograph for this issue type, photos already
    received, the international expectation without a date>

    <where the customer acts: their private link, when they are expected to>

    Your claim reference: KXC-...

    Kind regards

One channel on each path: the customer acts through their private link. On a
Kingston Express order the guide's "submit the issue through your order" is
that link (the order's own page for the claim), and the customer's email says
the same, with the same words (`invitation`).

Pure: data in, a `Reply` out; `tests/claims/test_reply.py` is its table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.choices import EvidenceKind
from claims.facts import ClaimFacts
from claims.mail import greeting
from claims.rules import EvidenceRule, Guidance

__all__ = ["Reply", "compose", "customer_acts", "invitation", "photos_wanted"]

# How each photo slot is named inside a sentence ("photos of the package ...").
_KIND_WORDS = {
    EvidenceKind.PACKAGE: gettext_lazy("the outer box with its label"),
    EvidenceKind.ITEM: gettext_lazy("the item"),
    EvidenceKind.PACKING_MATERIALS: gettext_lazy("the packing materials"),
}


@dataclass(frozen=True)
class Reply:
    greeting: str
    template: str
    lines: tuple[str, ...]
    # Empty when the customer has nothing to do through their link.
    link_line: str
    reference_line: str
    sign_off: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        parts = (self.greeting, self.template, *self.lines, self.link_line)
        return tuple(part for part in (*parts, self.reference_line, self.sign_off) if part)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _join(words: Sequence[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return str(format_lazy(_("{} and {}"), ", ".join(words[:-1]), words[-1]))


def photos_wanted(evidence_rules: Sequence[EvidenceRule]) -> str:
    """The photo slots this claim asks for, in words: "the outer box with its
    label and the packing materials" (never the item when it did not arrive,
    as the evidence rules say)."""
    return _join(
        [str(_KIND_WORDS[rule.kind]) for rule in evidence_rules if rule.kind in _KIND_WORDS]
    )


def customer_acts(facts: ClaimFacts) -> bool:
    """Whether the customer is expected to do something through their link:
    on a Kingston Express order always (it is how they submit the issue
    through their order), on a seller-managed one while no photos are in."""
    return facts.fulfillment_method.is_kingston_express or not (facts.photos_received)


def invitation(facts: ClaimFacts, evidence_rules: Sequence[EvidenceRule] = ()) -> str:
    """What the customer is asked to do through their link, ending in a colon
    before the link: the same words in the reply and in their email. The
    email names the photos (`evidence_rules`); the reply, whose case lines
    already do, passes none."""
    wanted = photos_wanted(evidence_rules)
    if facts.fulfillment_method.is_kingston_express:
        if facts.photos_received or not wanted:
            return _("To submit the issue through your order, use its private link:")
        return _(
            "To submit the issue through your order, use its private link, and add photos of "
            "%(wanted)s there:"
        ) % {"wanted": wanted}
    if facts.photos_received:
        return _("You can add more photos or a note through this private link:")
    if not wanted:
        return _("Please add your photos through this private link:")
    return _("Please add photos of %(wanted)s through this private link:") % {"wanted": wanted}


def compose(guidance: Guidance, *, customer_name: str, reference: str, customer_link: str) -> Reply:
    """The reply for this claim. `customer_link` is empty when the customer's
    link is switched off: the reply then sends them nowhere."""
    facts = guidance.facts
    link_line = ""
    if customer_link and customer_acts(facts):
        link_line = f"{invitation(facts)}\n{customer_link}"
    return Reply(
        greeting=f"{greeting(customer_name)},",
        template=guidance.response_template.text,
        lines=tuple(line.text for line in guidance.reply_lines),
        link_line=link_line,
        reference_line=_("Your claim reference: %(reference)s") % {"reference": reference},
        sign_off=_("Kind regards"),
    )
