"""How a hostile request must be answered, and what a page must never contain."""


def assert_refused(response, status: int, *texts: str):
    """A hostile request answered as it should be: this 4xx and the human text."""
    assert 400 <= status < 500
    assert response.status_code == status, response.content.decode(errors="replace")[:2000]
    body = response.content.decode()
    for text in texts:
        assert text in body, f"{text!r} not in the page"


def unsafe_markup(html: str) -> list[str]:
    """What in a page could run script or inject style under our CSP rules:
    inline scripts, event handlers, style attributes and elements, script
    URLs, frames and plugins."""
    from html.parser import HTMLParser

    problems: list[str] = []

    class Inspector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "script" and not attrs.get("src"):
                problems.append("inline <script>")
            if tag in ("style", "iframe", "object", "embed", "frame", "base"):
                problems.append(f"<{tag}>")
            for name, value in attrs.items():
                if name.startswith("on"):
                    problems.append(f"{name}= on <{tag}>")
                if name == "style":
                    problems.append(f"style= on <{tag}>")
                squashed = "".join((value or "").split()).lower()
                if name in ("href", "src", "action", "formaction") and squashed.startswith(
                    ("javascript:", "vbscript:", "data:text")
                ):
                    problems.append(f"{name}={value!r} on <{tag}>")

    Inspector(convert_charrefs=True).feed(html)
    return problems
