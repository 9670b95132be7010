"""Create N realistic, published seller-guide articles for benchmarks and load tests.

    python manage.py make_bench_articles 10000

Titles, summaries and multi-section Markdown bodies are composed from a
vocabulary of marketplace seller topics (orders, fulfillment, returns,
refunds, listings, fees...), spread over several categories. Each body goes
through the guide's own render path (`Article.render_body()`: sanitised HTML,
table of contents, search text, reading time) exactly as a save in the admin
would, then the articles are written with `bulk_create` in batches. The same
--seed gives the same articles.
"""

import random
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from helpcentre.category_nav import category_nav_invalidate
from helpcentre.models import Article, Category

CATEGORIES = [
    (
        "orders-and-fulfillment",
        "Orders & Fulfillment",
        "Accepting, packing and dispatching orders.",
    ),
    (
        "shipping-and-delivery",
        "Shipping & Delivery",
        "Carriers, tracking, delays and lost parcels.",
    ),
    ("returns-and-refunds", "Returns & Refunds", "Return requests, inspections, refunds."),
    ("payments-and-fees", "Payments & Fees", "Payouts, marketplace fees, invoices and taxes."),
    (
        "listings-and-catalogue",
        "Listings & Catalogue",
        "Titles, photos, variants, stock and prices.",
    ),
    ("account-and-performance", "Account & Performance", "Seller metrics, ratings and policies."),
]

# Topic -> (words used in titles and text). Each article is about one topic.
TOPICS = {
    "orders-and-fulfillment": [
        "order",
        "packing slip",
        "dispatch",
        "fulfillment method",
        "Kingston Express",
        "seller-managed order",
        "SKU",
        "packing log",
        "partial order",
        "cancellation",
    ],
    "shipping-and-delivery": [
        "tracking number",
        "carrier",
        "delivery estimate",
        "lost parcel",
        "signature",
        "international order",
        "customs form",
        "courier scan",
        "delivery address",
        "delay",
    ],
    "returns-and-refunds": [
        "return request",
        "refund",
        "replacement",
        "return inspection",
        "restocking",
        "damaged item",
        "missing item",
        "return label",
        "partial refund",
        "wrong item",
    ],
    "payments-and-fees": [
        "payout",
        "marketplace fee",
        "invoice",
        "VAT",
        "chargeback",
        "bank account",
        "reserve",
        "settlement report",
        "currency conversion",
        "commission",
    ],
    "listings-and-catalogue": [
        "listing",
        "product photo",
        "variant",
        "stock level",
        "price",
        "barcode",
        "product title",
        "category attribute",
        "bundle",
        "description",
    ],
    "account-and-performance": [
        "seller rating",
        "response time",
        "defect rate",
        "account health",
        "policy warning",
        "late dispatch rate",
        "customer message",
        "feedback",
        "holiday mode",
        "verification",
    ],
}

TITLE_PATTERNS = [
    "How to handle a {a}",
    "What to do when a {a} goes wrong",
    "Understanding the {a} and the {b}",
    "{A}: a step-by-step guide",
    "Checking the {a} before you approve a {b}",
    "When the {a} affects your {b}",
    "Common mistakes with the {a}",
    "How the {a} is reviewed",
    "Preparing evidence for a {a}",
    "Why your {a} changed after a {b}",
    "Updating the {a} for international orders",
    "The {a} explained for new sellers",
]
SUMMARY_PATTERNS = [
    "What sellers need to know about the {a}, and how it relates to the {b}.",
    "A short guide to the {a}: the checks to make, the records to keep and when to ask for help.",
    "How the {a} works, what changes it, and the mistakes that delay a {b}.",
    "Step by step: handling the {a} without delaying the {b}.",
]
SECTION_PATTERNS = [
    "Step {n}: check the {a}",
    "Before you change the {a}",
    "If the order was dispatched by Kingston Express",
    "If the order was seller-managed",
    "What evidence helps with the {a}",
    "How the {a} affects the {b}",
    "International orders and the {a}",
    "What sellers should not do",
    "When to contact support about the {a}",
    "Keeping records of the {a}",
]
SENTENCES = [
    "Check the {a} against the {b} before you reply to the customer.",
    "Most questions about the {a} are settled once the {b} has been reviewed.",
    "Keep a copy of the {a} for at least ninety days; support may ask for it.",
    "Never promise an outcome to the customer before the {a} has been confirmed.",
    "A clear photo of the {a} saves days of back-and-forth with the customer.",
    "The {a} is updated within one business day after the {b} is recorded.",
    "If the {a} and the {b} disagree, the packing log decides.",
    "Sellers who reply within a day keep a better seller rating, whatever the {a}.",
    "International orders take longer: allow extra time for the {a} and the {b}.",
    "Write down the order number, the {a} and the date before you contact support.",
    "A decision made too early cannot be undone if the {b} later arrives.",
    "Customers often ask about the {a} when the {b} changed after they ordered.",
]
BULLETS = [
    "Confirm the order number and the {a}",
    "Compare the {a} with the {b}",
    "Ask the customer for photos of the {a}",
    "Keep the packing materials until the {a} is closed",
    "Record what you sent: weight, SKU and quantity",
    "Wait for the {b} before you decide anything",
    "Reply to the customer within one business day",
]
DONTS = [
    "Promise a date before the {a} is reviewed",
    "Ask the customer to throw away the packaging",
    "Send a replacement without checking the {b}",
    "Argue with the customer about the {a}",
]
CALLOUTS = [
    "📌 Write down the {a} before you change anything.",
    "⚠️ International orders: never close the case before the {a} has been confirmed.",
    "👉 Keep every message with the customer in the marketplace inbox.",
    "📦 Pack fragile items with at least five centimetres of padding on every side.",
]


class Command(BaseCommand):
    help = "Create N published, searchable seller-guide articles (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many articles to create.")
        parser.add_argument("--seed", type=int, default=5, help="Random seed (default 5).")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per INSERT (default 500)."
        )

    def handle(self, *args, count, seed, batch_size, **options):
        if count < 1:
            raise CommandError("count must be at least 1.")
        started = time.monotonic()
        rng = random.Random(seed)
        categories = self._categories()
        start = Article.objects.count()
        taken = set(Article.objects.values_list("slug", flat=True))
        batch: list[Article] = []
        created = 0
        for i in range(count):
            batch.append(self._article(rng, categories, number=start + i + 1, taken=taken))
            if len(batch) >= batch_size:
                created += self._save(batch)
                batch = []
        if batch:
            created += self._save(batch)
        category_nav_invalidate()
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows how common each word is.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE helpcentre_article")
        self.stdout.write(
            f"Created {created} articles in {len(categories)} categories "
            f"in {time.monotonic() - started:.1f} s."
        )

    def _categories(self) -> list[Category]:
        categories = []
        for order, (slug, name, description) in enumerate(CATEGORIES, start=10):
            category, _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )
            categories.append(category)
        return categories

    def _save(self, batch: list[Article]) -> int:
        with transaction.atomic():
            Article.objects.bulk_create(batch)
        return len(batch)

    def _article(self, rng, categories, *, number: int, taken: set[str]) -> Article:
        category = rng.choice(categories)
        words = TOPICS[category.slug]

        def fill(pattern: str) -> str:
            a, b = rng.sample(words, 2)
            text = pattern.format(a=a, b=b, A=a[:1].upper() + a[1:], n=rng.randint(1, 5))
            return re.sub(r"\b([Aa]) ([aeiouAEIOU])", r"\1n \2", text)

        title = fill(rng.choice(TITLE_PATTERNS))
        slug = f"{slugify(title)[:180]}-{number}"
        while slug in taken:
            number += 1
            slug = f"{slugify(title)[:180]}-{number}"
        taken.add(slug)
        now = timezone.now()
        article = Article(
            category=category,
            title=title,
            slug=slug,
            summary=fill(rng.choice(SUMMARY_PATTERNS)),
            body=self._body(rng, fill),
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(days=rng.randint(1, 900)),
            activity_at=now,
            order=rng.randint(0, 100),
            helpful_yes_count=rng.randint(0, 200),
            helpful_no_count=rng.randint(0, 40),
        )
        # The guide's render path: the same HTML, TOC and search text a save makes.
        article.render_body()
        return article

    def _body(self, rng, fill) -> str:
        def paragraph() -> str:
            return " ".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randint(2, 5)))

        parts = [paragraph()]
        for heading in rng.sample(SECTION_PATTERNS, rng.randint(3, 6)):
            parts.append(f"## {fill(heading)}")
            parts.append(paragraph())
            shape = rng.random()
            if shape < 0.35:
                parts.append("\n".join(f"- {fill(b)}" for b in rng.sample(BULLETS, 3)))
            elif shape < 0.55:
                parts.append(
                    "\n".join(f"- ✔ {fill(b)}" for b in rng.sample(BULLETS, 2))
                    + "\n"
                    + "\n".join(f"- ❌ {fill(d)}" for d in rng.sample(DONTS, 2))
                )
            elif shape < 0.7:
                parts.append(fill(rng.choice(CALLOUTS)))
            if rng.random() < 0.3:
                parts.append(f"### {fill(rng.choice(SECTION_PATTERNS))}")
                parts.append(paragraph())
        return "\n\n".join(parts) + "\n"
