"""What a claim email may say, and how many one mailbox may get.

Anyone can file a claim without signing in, and the customer's and the
seller's addresses are whatever that person typed: a claim email goes to
someone we do not know. So it carries nothing else they typed, except fields
whose shape we control (the order number, the claim reference) and the
customer's name in the greeting when it passes `greeting_name`. Every link in
it is built from settings.SITE_BASE_URL, and one address gets at most
the "claim-mail" rate limit's claim emails, however many clients file.
"""

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from helpcentre import ratelimit

GREETING_NAME_MAX_LENGTH = 60
# More words than this reads like a sentence ("Your parcel is held call us"),
# not a name; such a customer is greeted with a plain "Hello".
GREETING_NAME_MAX_WORDS = 5
# Inside a name, between letters: a space, a hyphen or an apostrophe.
_NAME_SEPARATORS = re.compile("[ '\u2019-]")
# The shape the default CLAIM_ORDER_NUMBER_PATTERN allows, whatever the
# setting says: no spaces, no dots, no slashes, so never a sentence or a link.
_MAIL_ORDER_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,29}")


# Letters, and the combining marks some scripts need on them.
_WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc"})


def _is_word(part: str) -> bool:
    """Letters of any script, with their combining marks (as in "José" or "अनिल")."""
    if not part or not unicodedata.category(part[0]).startswith("L"):
        return False
    return all(unicodedata.category(c) in _WORD_CATEGORIES for c in part)


def greeting_name(name: str) -> str | None:
    """The customer's name if it is safe to greet them by it, else None.

    Safe: letters (any script) in at most five words, joined by single
    spaces, hyphens or apostrophes, at most 60 characters. That leaves out
    every URL, email address, phone or card number, markup, line break and
    invisible character (zero-width, right-to-left marks and overrides).
    """
    name = unicodedata.normalize("NFC", name).strip(" ")
    if not name or len(name) > GREETING_NAME_MAX_LENGTH:
        return None
    if name.count(" ") >= GREETING_NAME_MAX_WORDS:
        return None
    if not all(_is_word(part) for part in _NAME_SEPARATORS.split(name)):
        return None
    return name


def greeting(name: str) -> str:
    """The greeting: by name ("Hello Ada") when it passes `greeting_name`, else "Hello"."""
    safe = greeting_name(name)
    if safe is None:
        return _("Hello")
    return _("Hello %(name)s") % {"name": safe}


def mail_order_number(order_number: str) -> str:
    """The order number if it has an order number's shape, else "" (the email says "your order")."""
    return order_number if _MAIL_ORDER_NUMBER.fullmatch(order_number or "") else ""


def one_line(text: str) -> str:
    """A header value on one line: a line break would make Django refuse to send."""
    return " ".join(text.split())


def is_our_link(link: str) -> bool:
    """True for an absolute link on this site (SITE_BASE_URL), with nothing else around it."""
    return link.startswith(settings.SITE_BASE_URL + "/") and one_line(link) == link


def site_host() -> str:
    """This site's host name as people see it in the address bar ("help.example.com")."""
    return urlsplit(settings.SITE_BASE_URL).netloc or settings.SITE_BASE_URL


def mailbox(address: str) -> str:
    """The mailbox an address delivers to, as far as we can tell from the address.

    Case does not matter; "+tag" after the local part reaches the same inbox
    at most providers, and Gmail ignores dots. Used only to count emails per
    recipient, never to send: merging two real addresses only counts them
    together, which errs towards fewer emails.
    """
    local, at, domain = address.strip().casefold().rpartition("@")
    if not at:
        return address.strip().casefold()
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def recipient_key(address: str) -> str:
    """The rate-limit key for one mailbox: a hash, so the cache holds no address."""
    digest = hashlib.sha256(mailbox(address).encode()).hexdigest()
    return f"claim-mail-recipient:{digest}"


def recipient_allowed(address: str) -> bool:
    """Count one claim email to `address`; False once that mailbox had its share."""
    return not ratelimit.hit(recipient_key(address), ratelimit.configured("claim-mail"))
