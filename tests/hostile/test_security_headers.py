"""The strict Content-Security-Policy and the security headers, on every
public page and every claim step, and templates that never need
'unsafe-inline': no inline scripts, no style attributes or elements, no
event-handler attributes."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.csp import build_policy

from helpcentre.models import Category
from tests.factories import GUIDE_URL, as_upload, make_claim, make_claim_details, make_jpeg
from tests.hostile.checks import unsafe_markup
from tests.wizard import wizard_post

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


def _claim_step_pages(client) -> dict:
    """Every claim step as the seller sees it, filled in on the way."""
    pages = {"claim-start": client.get("/claim/", follow=True)}
    answers = [
        ("what-happened", {"issue_type": "damaged_item"}),
        ("fulfillment", {"fulfillment_method": "kingston_express"}),
        ("destination", {"destination": "domestic"}),
        ("order-details", make_claim_details(severity="major")),
    ]
    for step, data in answers:
        pages[f"claim-{step}"] = client.get(f"/claim/{step}/")
        pages[f"claim-{step}-error"] = wizard_post(client, step, {})
        response = wizard_post(client, step, data)
        if step == "order-details":
            # The fixture's earlier claim has this order number: the step says
            # so once (a page of its own), and the seller goes on.
            pages["claim-order-details-earlier-claim"] = response
            assert "earlier_claims_seen" in response.content.decode()
            response = wizard_post(
                client, step, {**data, "earlier_claims_seen": data["order_number"]}
            )
        assert response.status_code == 302
    pages["claim-photos"] = client.get("/claim/photos/")
    wizard_post(client, "photos", {"action": "upload"}, {"photos-item": as_upload(make_jpeg())})
    pages["claim-photos-with-photo"] = client.get("/claim/photos/")
    assert wizard_post(client, "photos", {"photo_source": "attach"}).status_code == 302
    pages["claim-check"] = client.get("/claim/check/")
    key = pages["claim-check"].context["form"].initial["submission_key"]
    pages["claim-result"] = wizard_post(client, "check", {"submission_key": key}, follow=True)
    assert "/claim/r/" in pages["claim-result"].redirect_chain[-1][0]
    return pages


@pytest.fixture
def every_page(client, settings):
    category = Category.objects.order_by("pk").first()
    submitted = make_claim()
    pages = {
        "home": client.get("/"),
        "category": client.get(category.get_absolute_url()),
        "article": client.get(GUIDE_URL),
        "search": client.get("/search/", {"q": "damaged"}),
        "search-empty": client.get("/search/", {"q": "zzzqqq"}),
        "not-found": client.get("/no-such-page/"),
        "customer": client.get(f"/claim/c/{submitted.customer_token}/"),
        "link-not-found": client.get("/claim/c/" + "x" * 43 + "/"),
        "bad-host": client.get("/", HTTP_HOST="evil.example"),
        "csrf-failure": Client(enforce_csrf_checks=True).post(f"{GUIDE_URL}vote/", {}),
        "robots": client.get("/robots.txt"),
        "sitemap": client.get("/sitemap.xml"),
        "admin-login": client.get("/admin/login/"),
    }
    pages.update(_claim_step_pages(client))
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (0, 60)}
    pages["too-many-requests"] = client.get("/search/", {"q": "x"})
    return pages


def test_every_public_page_and_claim_step_sends_the_strict_policy(every_page):
    expected = build_policy(django_settings.SECURE_CSP)
    assert "'unsafe-inline'" not in expected and "'unsafe-eval'" not in expected
    assert "script-src 'self'" in expected and "style-src 'self'" in expected
    assert "frame-ancestors 'none'" in expected and "object-src 'none'" in expected

    statuses = {name: response.status_code for name, response in every_page.items()}
    assert all(status < 500 for status in statuses.values()), statuses
    missing = {
        name
        for name, response in every_page.items()
        if response.get("Content-Security-Policy") != expected
    }
    assert missing == set()
    # The refusals are among them, as the pages they should be.
    assert statuses["bad-host"] == 400 and statuses["csrf-failure"] == 403
    assert statuses["too-many-requests"] == 429 and statuses["not-found"] == 404


def test_every_page_sends_the_security_headers(every_page):
    for name, response in every_page.items():
        headers = {
            "X-Content-Type-Options": response.get("X-Content-Type-Options"),
            "Referrer-Policy": response.get("Referrer-Policy"),
            "Cross-Origin-Opener-Policy": response.get("Cross-Origin-Opener-Policy"),
            "X-Frame-Options": response.get("X-Frame-Options"),
        }
        assert headers == {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
            "X-Frame-Options": "DENY",
        }, name


def test_no_page_of_ours_has_inline_script_or_style(every_page):
    problems = {}
    for name, response in every_page.items():
        if name == "admin-login" or not response.get("Content-Type", "").startswith("text/html"):
            continue
        found = unsafe_markup(response.content.decode())
        if found:
            problems[name] = found
    assert problems == {}


def test_hsts_is_sent_over_https_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    over_https = client.get("/", secure=True)
    over_http = client.get("/")

    assert over_https["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in over_http


def test_production_settings_turn_https_protections_on():
    """DJANGO_HTTPS=1 (the production default) sets HSTS, secure cookies and
    the redirect; `check --deploy` (tests/helpcentre/test_settings.py) holds them too."""
    from tests.helpcentre.test_settings import PRODUCTION_ENV, _manage

    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    result = _manage("shell", "--verbosity", "0", "-c", script, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["31536000", "True", "True", "True", "True"]


# --- The templates themselves --------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
SCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def template_files() -> list[Path]:
    roots = [ROOT / "templates", *ROOT.glob("*/templates")]
    files = [p for root in roots for p in root.rglob("*.html")]
    assert len(files) > 20, roots
    return sorted(files)


def template_problems(text: str) -> list[str]:
    checks = {
        "inline <script>": INLINE_SCRIPT,
        "<style> element": STYLE_ELEMENT,
        "style= attribute": STYLE_ATTRIBUTE,
        "on*= event handler": EVENT_HANDLER,
        "javascript: URL": SCRIPT_URL,
    }
    return [name for name, pattern in checks.items() if pattern.search(text)]


def test_no_template_has_inline_script_style_or_handlers():
    problems = {
        str(path.relative_to(ROOT)): found
        for path in template_files()
        if (found := template_problems(path.read_text()))
    }
    assert problems == {}


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="module">x()</script>', "inline <script>"),
        ("<style>p{}</style>", "<style> element"),
        ('<p class="a"\n   style="color:red">', "style= attribute"),
        ('<button onclick="go()">', "on*= event handler"),
        ('<a href="javascript:void(0)">', "javascript: URL"),
    ],
)
def test_the_template_scan_finds_what_it_looks_for(snippet, problem):
    assert template_problems(snippet) == [problem]
    assert template_problems('<script src="/static/js/claim.js" defer></script>') == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>x()</script>",
        "<div onclick=x()>",
        '<p style="color:red">',
        "<style>p{}</style>",
        '<a href=" javascript:x()">',
        "<iframe src=/>",
    ],
)
def test_the_page_inspector_finds_what_it_looks_for(html):
    assert unsafe_markup(html)
