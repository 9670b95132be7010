"""The cached article page: shared by readers, never stale after an edit, a vote or a comment."""

import pytest
from django.test import Client

from helpcentre import services
from helpcentre.models import Comment

pytestmark = pytest.mark.django_db


def _page(article) -> str:
    # A new reader each time: no cookies, so the shared cached page is served.
    return Client().get(article.get_absolute_url()).content.decode()


def test_an_edit_shows_at_once(make_article):
    article = make_article(body="Old words.\n\n## Section\n\nText.\n")
    assert "Old words." in _page(article)
    article.body = "New words.\n\n## Section\n\nText.\n"
    article.save()
    html = _page(article)
    assert "New words." in html and "Old words." not in html


def test_a_vote_shows_at_once(make_article):
    article = make_article()
    before = _page(article)
    services.vote_cast(article=article, visitor_id="v1", helpful=True)
    assert _page(article) != before
    article.refresh_from_db()
    assert article.helpful_yes_count == 1


def test_an_approved_comment_shows_at_once(make_article):
    article = make_article()
    comment = Comment.objects.create(
        article=article, name="Priya", email="p@example.com", body="Worked for me, thanks."
    )
    assert "Worked for me" not in _page(article)
    services.comments_approve(comments=Comment.objects.filter(pk=comment.pk))
    assert "Worked for me" in _page(article)


def test_a_renamed_category_shows_at_once(make_article):
    article = make_article()
    assert "Returns desk" not in _page(article)
    article.category.name = "Returns desk"
    article.category.save()
    assert "Returns desk" in _page(article)


def test_each_reader_gets_a_working_csrf_token_and_a_fresh_stamp(make_article):
    article = make_article()
    _page(article)  # fills the cache
    reader = Client(enforce_csrf_checks=True)
    html = reader.get(article.get_absolute_url()).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert not token.startswith("slot")
    stamp = html.split('name="shown_at" value="')[1].split('"')[0]
    assert not stamp.startswith("slot")
    response = reader.post(
        f"{article.get_absolute_url()}vote/", {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.helpful_yes_count == 1


def test_a_reader_with_messages_gets_their_own_page(make_article):
    article = make_article()
    reader = Client()
    reader.post(f"{article.get_absolute_url()}vote/", {"helpful": "yes"})
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Thanks for your feedback!" in html
    assert "Thanks for your feedback!" not in _page(article)
