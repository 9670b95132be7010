"""Seed the guide: the seller guide's first article, published, in its category.

The article's Markdown lives in helpcentre/seed/ so it can be read and diffed;
it is the product owner's text (../shared/guide/missing-or-damaged-item.txt)
in Markdown, minus the copy artefacts and the hotlinked third-party images.
"""

from pathlib import Path

from django.db import migrations
from django.utils import timezone

SEED = Path(__file__).resolve().parent.parent / "seed" / "missing-or-damaged-item.md"

CATEGORY = {
    "slug": "orders-returns-exchanges",
    "name": "Orders, Returns & Exchanges – Seller Guide",
    "description": (
        "Missing or damaged items, returns, replacements and refunds: "
        "what to do, step by step."
    ),
    "order": 1,
    "claim_callout": True,
}
ARTICLE = {
    "slug": "missing-or-damaged-item",
    "title": "What to Do If a Customer Reports a Missing or Damaged Item",
    "summary": (
        "Missing or damaged item reports are stressful — but they’re fixable when handled "
        "correctly. What to do depends on how the order was fulfilled."
    ),
}


def seed(apps, schema_editor):
    from helpcentre.markdown import render

    Category = apps.get_model("helpcentre", "Category")
    Article = apps.get_model("helpcentre", "Article")
    category, _ = Category.objects.get_or_create(
        slug=CATEGORY["slug"], defaults={k: v for k, v in CATEGORY.items() if k != "slug"}
    )
    if Article.objects.filter(slug=ARTICLE["slug"]).exists():
        return
    body = SEED.read_text(encoding="utf-8")
    rendered = render(body)
    now = timezone.now()
    Article.objects.create(
        category=category,
        slug=ARTICLE["slug"],
        title=ARTICLE["title"],
        summary=ARTICLE["summary"],
        body=body,
        body_html=rendered.html,
        toc=[list(entry) for entry in rendered.toc],
        search_text=rendered.text,
        reading_minutes=rendered.reading_minutes,
        status="published",
        published_at=now,
        activity_at=now,
        is_key=True,
        order=1,
    )


def unseed(apps, schema_editor):
    apps.get_model("helpcentre", "Article").objects.filter(slug=ARTICLE["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
