"""Whatever an editor types, no script runs: the renderer's output, parsed."""

from html.parser import HTMLParser

import pytest

from helpcentre.markdown import render

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=evil.swf></object>",
    "<embed src=evil.swf>",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onclick="alert(1)">click</div>',
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '[x](https://ok.example"onmouseover="alert(1))',
    '<a href="https://ok.example" onmouseover=alert(1)>x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "## Heading <img src=x onerror=alert(1)>",
    "- ✔ <script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "[x](<javascript:alert(1)>)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<a href='&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058alert(1)'>x</a>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
]

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "object", "embed", "style", "form", "input", "button", "meta",
    "base", "link", "svg", "math", "frame", "frameset", "body", "details",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset"}


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event attribute {name}")
            if name == "style":
                self.problems.append("style attribute")
            if name in URL_ATTRIBUTES and value is not None:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value!r}")
                if name == "src" and not squashed.startswith("/media/"):
                    self.problems.append(f"image from elsewhere: {value!r}")

    handle_startendtag = handle_starttag


def problems_in(html: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    html = render(payload).html
    assert problems_in(html) == [], html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised_inside_a_real_article(payload):
    html = render(f"Intro.\n\n## Section\n\n{payload}\n\n- item\n").html
    assert problems_in(html) == [], html


def test_inspector_catches_what_it_should():
    assert problems_in('<script></script><a href=" javascript:x" onclick="y">') == [
        "element <script>",
        "href=' javascript:x'",
        "event attribute onclick",
    ]


def test_raw_html_is_shown_as_text_not_markup():
    html = render("Press <b>this</b> button").html
    assert "&lt;b&gt;this&lt;/b&gt;" in html


def test_ordinary_links_survive():
    html = render("[Kingston Express](https://example.com/help) and [claim](/claim/)").html
    assert 'href="https://example.com/help"' in html
    assert 'href="/claim/"' in html
