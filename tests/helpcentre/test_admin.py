"""Every admin page and action an editor uses, through the test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from helpcentre.models import Article, ArticleImage, Category, Comment
from tests.factories import GUIDE_SLUG, make_image_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["category", "article", "articleimage", "comment", "vote"],
)
def test_changelists_and_add_pages_open(editor_client, name, make_article):
    article = make_article()
    Comment.objects.create(article=article, name="A", email="a@example.com", body="Hi")
    assert editor_client.get(reverse(f"admin:helpcentre_{name}_changelist")).status_code == 200
    add = editor_client.get(reverse(f"admin:helpcentre_{name}_add"))
    assert add.status_code == (403 if name == "vote" else 200)


def test_changelist_search_and_filters_work(editor_client, make_article):
    make_article(title="Customs forms", helpful_yes_count=1, helpful_no_count=3)
    url = reverse("admin:helpcentre_article_changelist")
    assert "Customs forms" in editor_client.get(url, {"q": "customs"}).content.decode()
    low = editor_client.get(url, {"helpful": "low"}).content.decode()
    assert "Customs forms" in low and "What to Do If" not in low
    assert "1 of 4 (25%)" in low
    none = editor_client.get(url, {"helpful": "none"}).content.decode()
    assert "What to Do If" in none and "Customs forms" not in none
    assert editor_client.get(url, {"status__exact": "draft"}).status_code == 200
    assert editor_client.get(url, {"o": "6"}).status_code == 200  # sort by helpfulness


def test_article_change_page_opens_with_preview_link_and_toc(editor_client):
    article = Article.objects.get(slug=GUIDE_SLUG)
    html = editor_client.get(
        reverse("admin:helpcentre_article_change", args=[article.pk])
    ).content.decode()
    assert reverse("admin:helpcentre_article_preview", args=[article.pk]) in html
    assert "#seller-managed-order-2" in html
    assert "3 min read" in html
    assert 'id="id_slug"' in html and "prepopulated" in html


def _article_form(category, **overrides):
    data = {
        "title": "Packing fragile items",
        "slug": "packing-fragile-items",
        "category": category.pk,
        "summary": "How to pack glass.",
        "body": "Intro.\n\n## Wrap it\n\n- ✔ Use bubble wrap",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "order": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_adds_an_article_rendered_at_save_time(editor_client, make_category):
    category = make_category()
    response = editor_client.post(reverse("admin:helpcentre_article_add"), _article_form(category))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="packing-fragile-items")
    assert 'id="wrap-it"' in article.body_html
    assert '<ul class="checklist">' in article.body_html
    assert article.toc == [[2, "wrap-it", "Wrap it"]]
    assert Version.objects.get_for_object(article).count() == 1


def test_draft_preview_renders_the_public_template_for_staff_only(editor_client, make_article):
    from django.test import Client

    public = Client()
    draft = make_article(published=False, title="Not yet public", body="## Soon\n\nText.")
    url = reverse("admin:helpcentre_article_preview", args=[draft.pk])
    response = editor_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not yet public" in html and 'id="soon"' in html
    assert "Was this article helpful?" in html and "Leave a Reply" in html
    assert "Preview for staff" in html
    assert response.templates[0].name == "helpcentre/article.html"
    assert public.get(url).status_code == 302  # the public is sent to log in
    assert public.get(draft.get_absolute_url()).status_code == 404


def test_publish_and_unpublish_actions(editor_client, make_article):
    draft = make_article(published=False)
    url = reverse("admin:helpcentre_article_changelist")
    response = editor_client.post(
        url, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 article published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    editor_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert editor_client.get(draft.get_absolute_url()).status_code == 404


def test_publishing_refreshes_the_home_page_counts(
    client, editor_client, make_category, make_article
):
    category = make_category(name="Shipping labels")
    draft = make_article(category=category, published=False)
    assert "0 articles" in client.get(category.get_absolute_url()).content.decode()
    client.get("/")  # fills the cache
    editor_client.post(
        reverse("admin:helpcentre_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    html = client.get("/").content.decode()
    block = html[html.index("Shipping labels") :]
    assert "1 article" in block[:400]


def test_comment_moderation_actions(client, editor_client, make_article):
    article = make_article()
    good = Comment.objects.create(
        article=article, name="Ann", email="a@example.com", body="Great guide"
    )
    bad = Comment.objects.create(
        article=article, name="Bot", email="b@example.com", body="Cheap pills"
    )
    url = reverse("admin:helpcentre_comment_changelist")
    response = editor_client.post(
        url, {"action": "approve", "_selected_action": [good.pk]}, follow=True
    )
    assert "1 comment approved." in response.content.decode()
    response = editor_client.post(
        url, {"action": "mark_spam", "_selected_action": [bad.pk]}, follow=True
    )
    assert "1 comment marked as spam." in response.content.decode()
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == ("approved", "spam")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Great guide" in html and "Cheap pills" not in html
    pending = editor_client.get(url, {"status__exact": "pending"}).content.decode()
    assert "Great guide" not in pending


def test_article_list_shows_pending_comments_and_helpfulness(editor_client, make_article):
    article = make_article(title="Counted", helpful_yes_count=12, helpful_no_count=2)
    Comment.objects.create(article=article, name="A", email="a@example.com", body="?")
    html = editor_client.get(reverse("admin:helpcentre_article_changelist")).content.decode()
    assert "12 of 14 (86%)" in html
    assert f"article__id__exact={article.pk}&amp;status__exact=pending" in html


def test_figure_upload_needs_alt_text_and_a_real_image(editor_client, make_article):
    article = make_article()
    url = reverse("admin:helpcentre_articleimage_add")
    fake = SimpleUploadedFile("evil.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = editor_client.post(url, {"article": article.pk, "alt_text": "x", "image": fake})
    assert response.status_code == 200 and not ArticleImage.objects.exists()
    real = SimpleUploadedFile("box.png", make_image_bytes("PNG"), content_type="image/png")
    response = editor_client.post(url, {"article": article.pk, "alt_text": "", "image": real})
    assert "This field is required." in response.content.decode()
    assert not ArticleImage.objects.exists()
    real = SimpleUploadedFile("box.png", make_image_bytes("PNG"), content_type="image/png")
    response = editor_client.post(
        url, {"article": article.pk, "alt_text": "A crushed box", "image": real}
    )
    assert response.status_code == 302
    image = ArticleImage.objects.get()
    assert (image.width, image.height) == (40, 30)
    assert image.markdown_snippet == f"![A crushed box](image:{image.pk})"


def test_figure_formats_and_limits(settings):
    import io

    from django.core.exceptions import ValidationError
    from PIL import Image

    from helpcentre import models

    bmp = io.BytesIO()
    Image.new("RGB", (10, 10)).save(bmp, format="BMP")
    with pytest.raises(ValidationError, match="JPEG, PNG, WebP or GIF"):
        models.validate_figure(SimpleUploadedFile("a.bmp", bmp.getvalue()))
    with pytest.raises(ValidationError, match="not a readable image"):
        models.validate_figure(SimpleUploadedFile("a.jpg", make_image_bytes("JPEG")[:60]))
    models.validate_figure(SimpleUploadedFile("a.webp", make_image_bytes("WEBP")))
    big = SimpleUploadedFile("a.png", make_image_bytes("PNG"))
    big.size = models.FIGURE_MAX_BYTES + 1
    with pytest.raises(ValidationError, match="the limit is 5 MB"):
        models.validate_figure(big)


def test_placed_figure_appears_on_the_page_with_its_alt_text(client, make_article):
    article = make_article()
    image = ArticleImage.objects.create(
        article=article,
        alt_text="Photo of the outer box",
        image=SimpleUploadedFile("box.png", make_image_bytes("PNG"), content_type="image/png"),
    )
    article.body = f"Intro.\n\n![ignored](image:{image.pk})"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{image.image.url}"' in html
    assert 'alt="Photo of the outer box"' in html
    image.alt_text = "Outer box, crushed corner"
    image.save()
    article.refresh_from_db()
    assert 'alt="Outer box, crushed corner"' in article.body_html
    image.delete()
    article.refresh_from_db()
    assert "<img" not in article.body_html


def test_revision_history_and_restore(editor_client, make_category):
    category = make_category()
    add = reverse("admin:helpcentre_article_add")
    editor_client.post(add, _article_form(category, body="## Original heading\n"))
    article = Article.objects.get(slug="packing-fragile-items")
    change = reverse("admin:helpcentre_article_change", args=[article.pk])
    editor_client.post(change, _article_form(category, body="## Changed heading\n"))
    article.refresh_from_db()
    assert "changed-heading" in article.body_html
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    history = editor_client.get(reverse("admin:helpcentre_article_history", args=[article.pk]))
    assert history.status_code == 200
    original = versions.last()
    revision_url = reverse("admin:helpcentre_article_revision", args=[article.pk, original.pk])
    assert editor_client.get(revision_url).status_code == 200
    response = editor_client.post(
        revision_url, _article_form(category, body="## Original heading\n")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert "original-heading" in article.body_html


def test_category_admin_shows_published_counts_and_saves(editor_client):
    url = reverse("admin:helpcentre_category_changelist")
    html = editor_client.get(url).content.decode()
    assert "Orders, Returns &amp; Exchanges – Seller Guide" in html
    response = editor_client.post(
        reverse("admin:helpcentre_category_add"),
        {
            "name": "Shipping",
            "slug": "shipping",
            "description": "Labels and carriers.",
            "order": "2",
        },
    )
    assert response.status_code == 302
    assert Category.objects.filter(slug="shipping").exists()


def test_vote_admin_lists_reasons_read_only(editor_client, make_article):
    from helpcentre.models import Vote

    article = make_article()
    Vote.objects.create(article=article, visitor_id="v", helpful=False, reason="No customs info")
    html = editor_client.get(reverse("admin:helpcentre_vote_changelist")).content.decode()
    assert "No customs info" in html
