"""make_bench_articles: N realistic, published, searchable articles, rendered like a save."""

import pytest
from django.core.management import CommandError, call_command

from helpcentre.models import Article, Category
from tests.factories import GUIDE_SLUG

pytestmark = pytest.mark.django_db


def test_creates_n_published_articles_across_several_categories():
    call_command("make_bench_articles", 40, stdout=None)
    articles = list(Article.objects.published().exclude(slug=GUIDE_SLUG))
    assert len(articles) == 40
    assert len({a.category_id for a in articles}) >= 4
    assert len({a.title for a in articles}) > 20
    assert len({a.slug for a in articles}) == 40
    assert Category.objects.count() >= 6


def test_bodies_go_through_the_guides_render_path():
    call_command("make_bench_articles", 10, stdout=None)
    for article in Article.objects.exclude(slug=GUIDE_SLUG):
        body_html, toc = article.body_html, article.toc
        assert body_html.count("<h2") >= 3
        assert len(toc) >= 3
        # The stored HTML is exactly what a save renders from the Markdown.
        article.render_body()
        assert (article.body_html, article.toc) == (body_html, toc)
        assert article.search_text
        assert article.reading_minutes >= 1
        assert article.summary and len(article.summary) <= 300


def test_generated_articles_are_found_by_search():
    call_command("make_bench_articles", 60, stdout=None)
    results = Article.objects.search("refund")
    assert results
    assert all("refund" in (r.article.title + r.article.summary + r.article.search_text).lower()
               for r in results)  # fmt: skip
    assert len(Article.objects.search("payout")) >= 1


def test_the_same_seed_gives_the_same_articles_and_runs_add_up():
    call_command("make_bench_articles", 5, seed=1, stdout=None)
    first = list(Article.objects.order_by("pk").values_list("title", flat=True))
    Article.objects.exclude(slug=GUIDE_SLUG).delete()
    call_command("make_bench_articles", 5, seed=1, stdout=None)
    assert list(Article.objects.order_by("pk").values_list("title", flat=True)) == first
    call_command("make_bench_articles", 5, seed=1, stdout=None)
    assert Article.objects.count() == 11  # the seeded guide article, then 5 + 5


def test_the_category_list_counts_them_at_once(client):
    from helpcentre.category_nav import category_nav

    before = sum(c.article_count for c in category_nav())
    call_command("make_bench_articles", 7, stdout=None)
    assert sum(c.article_count for c in category_nav()) == before + 7


def test_zero_is_refused():
    with pytest.raises(CommandError):
        call_command("make_bench_articles", 0)
