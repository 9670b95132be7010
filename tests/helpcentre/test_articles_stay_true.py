"""Articles that stay true: follow-ups from "not helpful", drafts of published
articles, preview of the unsaved edit, review dates and change notes, and the
seeded guide's first revision."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from helpcentre import services
from helpcentre.models import Article, ArticleDraft, FollowUp
from tests.factories import GUIDE_SLUG
from tests.helpcentre.test_admin import _article_form

pytestmark = pytest.mark.django_db


def _published_form(article, **overrides):
    now = timezone.localtime(article.published_at)
    fields = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
    }
    return _article_form(article.category, **{**fields, **overrides})


@pytest.fixture
def reader():
    from django.test import Client

    return Client()


def test_not_helpful_with_a_reason_opens_a_follow_up_closed_by_an_edit(
    reader, editor_client, make_article
):
    client = reader
    article = make_article(title="Customs forms", slug="packing-fragile-items")
    client.post(f"/articles/{article.slug}/vote/", {"helpful": "yes"})
    client.cookies.clear()
    client.post(f"/articles/{article.slug}/vote/", {"helpful": "no"})  # no reason: nothing
    client.cookies.clear()
    client.post(
        f"/articles/{article.slug}/vote/", {"helpful": "no", "reason": "Which form for Norway?"}
    )
    [follow_up] = FollowUp.objects.all()
    assert (follow_up.article, follow_up.reason, follow_up.status) == (
        article,
        "Which form for Norway?",
        FollowUp.Status.OPEN,
    )
    changelist = editor_client.get(reverse("admin:helpcentre_followup_changelist"))
    assert "Which form for Norway?" in changelist.content.decode()
    change = reverse("admin:helpcentre_article_change", args=[article.pk])
    assert "Which form for Norway?" in editor_client.get(change).content.decode()

    response = editor_client.post(change, _published_form(article, body="Norway: form CN22."))
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.EDITED and follow_up.closed_at
    assert (
        "Which form for Norway?"
        not in editor_client.get(reverse("admin:helpcentre_followup_changelist")).content.decode()
    )


def test_a_follow_up_can_be_dismissed_by_its_owner(editor_client, make_article):
    article = make_article()
    services.vote_cast(article=article, visitor_id="v1", helpful=False, reason="Too long")
    follow_up = FollowUp.objects.get()
    response = editor_client.post(
        reverse("admin:helpcentre_followup_changelist"),
        {"action": "dismiss", "_selected_action": [follow_up.pk]},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DISMISSED


def test_a_reason_sent_after_the_no_opens_one_follow_up(make_article):
    article = make_article()
    services.vote_cast(article=article, visitor_id="v1", helpful=False)
    services.vote_cast(article=article, visitor_id="v1", helpful=False, reason="Unclear")
    services.vote_cast(article=article, visitor_id="v1", helpful=False, reason="Again")
    assert list(FollowUp.objects.values_list("reason", flat=True)) == ["Unclear"]


def test_a_published_article_is_edited_as_a_draft_then_published(
    reader, editor_client, make_article
):
    client = reader
    article = make_article(title="Live title", slug="packing-fragile-items", body="Live text.")
    change = reverse("admin:helpcentre_article_change", args=[article.pk])

    response = editor_client.post(
        change, {**_published_form(article, body="Half-done text."), "_save_draft": "1"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Live text."  # the live page keeps the published text
    assert "Live text." in client.get(article.get_absolute_url()).content.decode()
    assert "Half-done" not in client.get(article.get_absolute_url()).content.decode()
    assert ArticleDraft.objects.get(article=article).body == "Half-done text."

    form = editor_client.get(change).content.decode()
    assert "Half-done text." in form and "editing a draft kept aside" in form

    response = editor_client.post(change, _published_form(article, body="Finished text."))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Finished text."
    assert not ArticleDraft.objects.exists()
    assert "Finished text." in client.get(article.get_absolute_url()).content.decode()


def test_a_draft_can_be_discarded(editor_client, make_article):
    article = make_article(slug="packing-fragile-items")
    services.article_draft_save(article=article, data={"body": "Scrap"})
    change = reverse("admin:helpcentre_article_change", args=[article.pk])
    response = editor_client.post(change, {"_discard_draft": "1"})
    assert response.status_code == 302
    assert not ArticleDraft.objects.exists()


def test_preview_shows_the_unsaved_edit_and_saves_nothing(editor_client, make_article):
    article = make_article(title="Saved title", slug="packing-fragile-items", body="Saved.")
    url = reverse("admin:helpcentre_article_preview", args=[article.pk])
    response = editor_client.post(url, _published_form(article, body="## Unsaved heading\n\nNew."))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="unsaved-heading"' in html and "Preview for staff" in html
    article.refresh_from_db()
    assert article.body == "Saved."
    assert "Saved." in editor_client.get(url).content.decode()  # GET: the saved version

    bad = editor_client.post(url, _published_form(article, title=""))
    assert bad.status_code == 400
    assert "Fix these and preview again" in bad.content.decode()


def test_a_new_article_can_be_previewed_before_its_first_save(editor_client, make_category):
    url = reverse("admin:helpcentre_article_preview_new")
    response = editor_client.post(url, _article_form(make_category()))
    assert response.status_code == 200
    assert "Packing fragile items" in response.content.decode()
    assert not Article.objects.filter(slug="packing-fragile-items").exists()


def test_readers_see_last_reviewed_and_the_change_note(reader, editor_client, make_article):
    client = reader
    article = make_article(slug="packing-fragile-items")
    article.reviewed_at = timezone.localdate() - timedelta(days=2)
    article.save()
    change = reverse("admin:helpcentre_article_change", args=[article.pk])
    editor_client.post(
        change,
        _published_form(
            article,
            change_note="Norway needs a CN22.",
            reviewed_at=article.reviewed_at.isoformat(),
        ),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Last reviewed" in html
    assert f"Updated {timezone.localdate():%-d %B}: Norway needs a CN22." in html


def test_articles_due_for_review_are_listed(editor_client, make_article):
    due = make_article(title="Overdue article", review_by=timezone.localdate())
    make_article(title="Fresh article", review_by=timezone.localdate() + timedelta(days=30))
    assert list(Article.objects.due_for_review()) == [due]
    html = editor_client.get(
        reverse("admin:helpcentre_article_changelist"), {"review": "due"}
    ).content.decode()
    assert "Overdue article" in html and "Fresh article" not in html


def test_the_seeded_guide_can_be_restored_from_its_first_revision(editor_client):
    article = Article.objects.get(slug=GUIDE_SLUG)
    seed = Path(__file__).resolve().parents[2] / "helpcentre/seed/missing-or-damaged-item.md"
    original = seed.read_text(encoding="utf-8")
    assert article.body == original
    [first] = Version.objects.get_for_object(article)
    assert first.revision.comment == "The guide as seeded by the migrations."
    assert first.field_dict["body"] == original

    article.body = "Vandalised."
    article.save()
    url = reverse("admin:helpcentre_article_revision", args=[article.pk, first.pk])
    form = editor_client.get(url)
    assert form.status_code == 200
    first.revision.revert()
    article.refresh_from_db()
    assert article.body == original
    assert "Vandalised" not in article.body_html
