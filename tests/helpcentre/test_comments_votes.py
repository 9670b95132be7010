import time

import pytest
from django.core import signing

from helpcentre import forms
from helpcentre.models import Comment, Vote

pytestmark = pytest.mark.django_db


def _stamp(seconds_ago=10):
    return signing.dumps(int(time.time()) - seconds_ago, salt=forms._SALT)


def _comment(**overrides):
    data = {
        "name": "Priya",
        "email": "priya@example.com",
        "body": "Very clear, thank you.",
        "website": "",
        "shown_at": _stamp(),
    }
    data.update(overrides)
    return data


def test_a_comment_is_held_for_moderation_not_shown(client, make_article):
    article = make_article()
    response = client.post(f"{article.get_absolute_url()}comments/", _comment(), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#comments")
    assert "held for moderation" in html
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "Very clear, thank you." not in html.split("Leave a Reply")[0]
    assert comment.ip_hash and "127.0.0.1" not in comment.ip_hash


def test_approved_comments_are_shown_without_the_email(client, make_article):
    article = make_article()
    Comment.objects.create(
        article=article, name="Sam", email="sam@secret.example", body="Helpful!", status="approved"
    )
    Comment.objects.create(
        article=article, name="Spammer", email="x@example.com", body="Buy now", status="spam"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Sam" in html and "Helpful!" in html
    assert "sam@secret.example" not in html
    assert "Buy now" not in html
    assert "1 comment" in html


def test_honeypot_rejects_with_a_clear_message_and_keeps_the_text(client, make_article):
    article = make_article()
    response = client.post(
        f"{article.get_absolute_url()}comments/",
        _comment(website="http://spam.example", body="My words"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "looks automated" in html
    assert "My words" in html and 'value="Priya"' in html
    assert not Comment.objects.exists()


def test_too_fast_is_rejected_kindly_and_a_new_stamp_is_given(client, make_article):
    article = make_article()
    old = _stamp(seconds_ago=1)
    response = client.post(f"{article.get_absolute_url()}comments/", _comment(shown_at=old))
    html = response.content.decode()
    assert "please wait a few seconds" in html
    assert f'value="{old}"' not in html
    assert not Comment.objects.exists()


def test_forged_or_missing_stamp_is_rejected(client, make_article):
    article = make_article()
    for stamp in ["", "12345", "bogus:value"]:
        client.post(f"{article.get_absolute_url()}comments/", _comment(shown_at=stamp))
    assert not Comment.objects.exists()


def test_required_fields_are_marked_and_enforced(client, make_article):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Required fields are marked" in html
    assert html.count('<span class="required" aria-hidden="true">*</span>') == 3
    response = client.post(
        f"{article.get_absolute_url()}comments/", _comment(name="", email="not-an-email")
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert "Enter a valid email address." in response.content.decode()


def test_comments_on_drafts_are_refused(client, make_article):
    draft = make_article(published=False)
    assert client.post(f"{draft.get_absolute_url()}comments/", _comment()).status_code == 404


def test_votes_are_counted_once_per_visitor(client, make_article):
    article = make_article()
    url = f"{article.get_absolute_url()}vote/"
    first = client.post(url, {"helpful": "yes"})
    assert first.status_code == 302 and first["Location"].endswith("#helpful")
    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "no"})
    article.refresh_from_db()
    assert (article.helpful_yes_count, article.helpful_no_count) == (1, 0)
    assert Vote.objects.count() == 1


def test_different_visitors_each_count(client, make_article):
    from django.test import Client

    article = make_article()
    url = f"{article.get_absolute_url()}vote/"
    client.post(url, {"helpful": "yes"})
    Client().post(url, {"helpful": "no", "reason": "Nothing about customs forms"})
    article.refresh_from_db()
    assert (article.helpful_yes_count, article.helpful_no_count) == (1, 1)
    assert Vote.objects.get(helpful=False).reason == "Nothing about customs forms"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1 of 2 found this helpful" in html


def test_a_tampered_visitor_cookie_is_a_new_visitor_not_an_error(client, make_article):
    article = make_article()
    client.cookies["hc_visitor"] = "someone-else:forged"
    assert client.post(f"{article.get_absolute_url()}vote/", {"helpful": "yes"}).status_code == 302
    assert Vote.objects.get().visitor_id != "someone-else"


def test_vote_shows_a_thank_you_message(client, make_article):
    article = make_article()
    response = client.post(f"{article.get_absolute_url()}vote/", {"helpful": "yes"}, follow=True)
    assert "Thanks for your feedback!" in response.content.decode()


def test_a_vote_without_an_answer_is_explained(client, make_article):
    article = make_article()
    response = client.post(f"{article.get_absolute_url()}vote/", {}, follow=True)
    assert "Choose Yes or No" in response.content.decode()
    assert not Vote.objects.exists()


def test_the_database_refuses_a_second_vote_from_one_visitor(make_article):
    from django.db import IntegrityError, transaction

    article = make_article()
    Vote.objects.create(article=article, visitor_id="v1", helpful=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(article=article, visitor_id="v1", helpful=False)
