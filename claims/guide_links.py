"""Links from claims into the guide article that explains them."""

from urllib.parse import quote

# The seeded guide article (helpcentre app); URLs are fixed: /articles/<slug>/.
GUIDE_ARTICLE_SLUG = "what-to-do-if-a-customer-reports-a-missing-or-damaged-item"
GUIDE_ARTICLE_PATH = f"/articles/{GUIDE_ARTICLE_SLUG}/"


def guide_url(anchor: str = "") -> str:
    """The guide article, at the section with this heading anchor if given."""
    return f"{GUIDE_ARTICLE_PATH}#{quote(anchor)}" if anchor else GUIDE_ARTICLE_PATH


def mailto_url(to: str = "", *, subject: str = "", body: str = "") -> str:
    """A `mailto:` link (RFC 6068): every part percent-encoded, so spaces,
    ampersands, question marks and line breaks in the text survive, and the
    address is kept apart from the headers."""
    # Line breaks in a mailto body must be CRLF.
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    headers = "&".join(
        f"{name}={quote(value, safe='')}"
        for name, value in (("subject", subject), ("body", body))
        if value
    )
    address = quote(to, safe="@")
    return f"mailto:{address}?{headers}" if headers else f"mailto:{address}"
