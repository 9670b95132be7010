"""Markup where readers and editors type text: the article body, comments,
the search box, the sitemap. The payloads are the XSS corpus of
tests/helpcentre/test_xss.py; here they go through the whole page, and nothing
in the page may run script or inject style."""

import time
from xml.etree import ElementTree

import pytest
from django.core import signing

from helpcentre import forms as guide_forms
from helpcentre.models import Comment
from tests.conftest import unsafe_markup
from tests.helpcentre.test_xss import PAYLOADS

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
