"""The editors' pages in a real browser at 1280 px: the dashboard, the article
edit page and a revision page, clean in axe; screenshots in test-artifacts/."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.browsers import serious_axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def editor_page(page, context, live_server, guide, admin_user):
    client = Client()
    client.force_login(admin_user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_the_editors_dashboard_shows_its_charts_and_is_clean_in_axe(
    editor_page, live_server, artifacts_dir
):
    from helpcentre import services
    from helpcentre.models import Article, ArticleDay, SearchQueryDay

    today = timezone.localdate()
    article = Article.objects.get(slug__startswith="what-to-do")
    for query, searches, missed, clicks in [
        ("refund", 42, 0, 30),
        ("damaged parcel", 17, 0, 9),
        ("customs norway", 8, 8, 0),
        ("payout date", 12, 0, 2),
    ]:
        SearchQueryDay.objects.create(
            day=today, query=query, searches=searches, no_results=missed, clicks=clicks
        )
    ArticleDay.objects.create(day=today, article=article, views=130, claims_started=6)
    services.vote_cast(article=article, visitor_id="a", helpful=False, reason="No word on customs")
    services.vote_cast(article=article, visitor_id="b", helpful=True)

    editor_page.goto(live_server.url + "/admin/helpcentre/article/dashboard/?days=7")
    editor_page.screenshot(path=artifacts_dir / "editors-dashboard-1280.png", full_page=True)
    assert editor_page.get_by_role("heading", name="Top searches").is_visible()
    assert serious_axe_violations(editor_page) == []


def test_the_article_edit_and_revision_pages_are_clean_in_axe(
    editor_page, live_server, artifacts_dir
):
    from reversion.models import Version

    from helpcentre.models import Article

    article = Article.objects.get(slug__startswith="what-to-do")
    editor_page.goto(live_server.url + f"/admin/helpcentre/article/{article.pk}/change/")
    editor_page.screenshot(path=artifacts_dir / "article-edit-1280.png", full_page=False)
    assert serious_axe_violations(editor_page) == []

    # Live-server tests re-seed the guide without its history: one revision here.
    import reversion

    with reversion.create_revision():
        article.save()
    version = Version.objects.get_for_object(article).last()
    editor_page.goto(
        live_server.url + f"/admin/helpcentre/article/{article.pk}/history/{version.pk}/"
    )
    assert serious_axe_violations(editor_page) == []
