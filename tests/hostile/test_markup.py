"""Markup where readers and editors type text: the article body, comments,
the search box, the sitemap. The payloads are the XSS corpus of
tests/helpcentre/test_markdown.py; here they go through the whole page, and nothing
in the page may run script or inject style. Worst-case Markdown bodies at the
size limit are saved and shown like any other."""

import time
from xml.etree import ElementTree

import pytest
from django.core import signing
from django.urls import reverse

from bench.markdown_worst import WORST_CASES
from helpcentre import forms as guide_forms
from helpcentre.markdown import BODY_MAX_CHARS
from helpcentre.models import Article, Comment
from tests.helpcentre.test_markdown import PAYLOADS
from tests.hostile.checks import unsafe_markup

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

PAYLOAD_PARAMS = [pytest.param(p, id=f"xss-{n:02d}") for n, p in enumerate(PAYLOADS)]


def _page_problems(response) -> list[str]:
    assert response.status_code < 500
    return unsafe_markup(response.content.decode())


@pytest.mark.parametrize("payload", PAYLOAD_PARAMS)
def test_an_article_body_payload_is_inert_on_the_page(client, make_article, payload):
    article = make_article(body=f"Intro.\n\n{payload}\n\n## Section\n\n{payload}\n")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert _page_problems(response) == []


@pytest.mark.parametrize("payload", PAYLOAD_PARAMS)
def test_a_comment_payload_is_inert_in_the_message_and_once_approved(
    client, settings, make_article, payload
):
    settings.HELPCENTRE_COMMENT_MIN_SECONDS = 0
    article = make_article()
    data = {
        "name": payload[:100],
        "email": "reader@example.com",
        "body": payload,
        "website": "",
        "shown_at": signing.dumps(int(time.time()) - 10, salt=guide_forms._SALT),
    }

    thanked = client.post(f"{article.get_absolute_url()}comments/", data, follow=True)
    Comment.objects.update(status=Comment.Status.APPROVED)
    shown = client.get(article.get_absolute_url())

    assert Comment.objects.count() == 1
    assert "held for moderation" in thanked.content.decode()
    assert _page_problems(thanked) == []
    assert _page_problems(shown) == []


@pytest.mark.parametrize("payload", PAYLOAD_PARAMS)
def test_a_search_payload_is_inert_where_the_page_repeats_it(client, make_article, payload):
    make_article(title="Damaged item script alert", body="script alert img onerror svg")

    response = client.get("/search/", {"q": payload})

    assert response.status_code == 200
    assert _page_problems(response) == []


HOSTILE_TITLES = [
    '<script>alert(1)</script> & "quotes"',
    "]]><evil>injected</evil><![CDATA[",
    "\u202eReversed title",
    "Title with \U0001f4e6 emoji & <b>markup</b>",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_the_sitemap_stays_well_formed_with_hostile_titles(client, make_article, title):
    make_article(title=title)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert tags <= {"urlset", "url", "loc", "lastmod", "changefreq", "priority"}
    assert b"<script" not in response.content and b"<evil" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/categories/%22%3E%3Csvg%20onload%3Dalert(1)%3E/",
        "/claim/r/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/",
    ],
)
def test_a_payload_in_the_address_is_inert_on_the_not_found_page(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert _page_problems(response) == []


# --- Worst-case Markdown (issue 11) ----------------------------------------------
# Bodies that made Python-Markdown take a minute (20,000 "[") or overflow the
# stack ("1. " nested on one line), at the body's size limit. Each is saved,
# rendered once, and shown; how long that takes is measured, and bounded, by
# `make bench-markdown` (bench/markdown_worst.py), not here.


@pytest.mark.parametrize("name", list(WORST_CASES))
def test_a_worst_case_body_at_the_size_limit_is_saved_and_shown_safely(client, make_article, name):
    body = WORST_CASES[name](BODY_MAX_CHARS)
    assert len(body) == BODY_MAX_CHARS

    article = make_article(body=body)
    response = client.get(article.get_absolute_url())

    article.refresh_from_db()
    assert article.body == body
    # Linear output too: no short body may become megabytes of HTML (a wide
    # table's padded cells made 80 MB of 20,000 characters before).
    assert len(article.body_html) < 60 * len(body)
    assert response.status_code == 200
    assert _page_problems(response) == []


def test_a_worst_case_body_at_the_size_limit_is_saved_from_the_admin(editor_client, make_category):
    response = editor_client.post(
        reverse("admin:helpcentre_article_add"),
        _article_form(make_category(), body=WORST_CASES["![ run"](BODY_MAX_CHARS)),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Article.objects.get(slug="worst-case").body_html.startswith("<p>![![")


def test_a_body_over_the_size_limit_is_refused_with_the_limit_named(
    editor_client, make_category, nothing_stored
):
    category = make_category()
    with nothing_stored():
        response = editor_client.post(
            reverse("admin:helpcentre_article_add"),
            _article_form(category, body="[" * (BODY_MAX_CHARS + 1)),
        )

    # The admin shows its form again, with the message on the body.
    assert response.status_code == 200
    assert "An article can be at most 20,000 characters long; this one has 20,001." in (
        response.content.decode()
    )


def _article_form(category, **overrides):
    return {
        "title": "Worst case",
        "slug": "worst-case",
        "category": category.pk,
        "summary": "A hostile body.",
        "body": "Intro.",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "order": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        **overrides,
    }
