"""Issue 14, a guide that learns: search synonyms and "Did you mean" words,
per-day counts of searches and article views, follow-ups, drafts of published
articles, owners and review dates; and the seeded guide's first revision.

PostgreSQL only: pg_trgm and a trigram index over the words of published
articles (what "Did you mean" suggests), filled from the articles here.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.core import serializers
from django.db import migrations, models
from django.utils import timezone

SEEDED_SLUG = "what-to-do-if-a-customer-reports-a-missing-or-damaged-item"
SYNONYMS = [
    "parcel, package",
    "money back, refund",
    "broken, damaged",
    "courier, carrier, Kingston Express",
]


def words_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from helpcentre.services import _WORDS_SQL

    schema_editor.execute(
        "CREATE INDEX helpcentre_searchword_trgm ON helpcentre_searchword "
        "USING gin (word gin_trgm_ops)"
    )
    schema_editor.execute(_WORDS_SQL.format(only=""))


def no_words_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS helpcentre_searchword_trgm")


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("helpcentre", "SearchSynonym")
    for terms in SYNONYMS:
        SearchSynonym.objects.get_or_create(terms=terms)


def first_revision(apps, schema_editor):
    """The seeded guide as its first revision, so its text can always be restored
    from its history in the admin (django-reversion's own rows, written here
    because a migration's models are not registered with reversion)."""
    Article = apps.get_model("helpcentre", "Article")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    article = Article.objects.filter(slug=SEEDED_SLUG).first()
    if article is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="helpcentre", model="article")
    if Version.objects.filter(content_type=content_type, object_id=str(article.pk)).exists():
        return
    revision = Revision.objects.create(
        date_created=timezone.now(), comment="The guide as seeded by the migrations."
    )
    Version.objects.create(
        revision=revision,
        object_id=str(article.pk),
        content_type=content_type,
        db=schema_editor.connection.alias,
        format="json",
        serialized_data=serializers.serialize("json", [article]),
        object_repr=article.title,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("helpcentre", "0005_article_compact_search_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "terms",
                    models.CharField(
                        help_text="Comma-separated, e.g. 'parcel, package' or 'courier, carrier, Kingston Express'. A search for any of them finds articles with any of them.",
                        max_length=300,
                        unique=True,
                        verbose_name="words that mean the same",
                    ),
                ),
            ],
            options={
                "verbose_name": "search synonym",
                "verbose_name_plural": "search synonyms",
                "ordering": ["terms"],
            },
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=60, primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="change_note",
            field=models.CharField(
                blank=True,
                help_text="What changed, in one short sentence, shown to readers as 'Updated <date>: <note>'. Leave empty for small fixes.",
                max_length=200,
                verbose_name="change note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="change_note_at",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="change note date"
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                help_text="The editor who keeps this article true: gets its follow-ups and its review reminders.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="owned_articles",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="review_by",
            field=models.DateField(
                blank=True,
                help_text="When the owner should check the article is still right.",
                null=True,
                verbose_name="review by",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="reviewed_at",
            field=models.DateField(
                blank=True,
                help_text="Shown to readers as 'Last reviewed'. Set it when you have checked the text.",
                null=True,
                verbose_name="last reviewed",
            ),
        ),
        migrations.CreateModel(
            name="ArticleDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("summary", models.CharField(max_length=300, verbose_name="summary")),
                ("body", models.TextField(verbose_name="body (Markdown)")),
                (
                    "change_note",
                    models.CharField(blank=True, max_length=200, verbose_name="change note"),
                ),
                ("saved_at", models.DateTimeField(auto_now=True, verbose_name="saved")),
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="draft",
                        to="helpcentre.article",
                        verbose_name="article",
                    ),
                ),
                (
                    "saved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "draft of a published article",
                "verbose_name_plural": "drafts of published articles",
            },
        ),
        migrations.CreateModel(
            name="FollowUp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(verbose_name="what the reader said was missing")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("edited", "Closed: article edited"),
                            ("dismissed", "Dismissed"),
                        ],
                        db_index=True,
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="opened")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follow_ups",
                        to="helpcentre.article",
                        verbose_name="article",
                    ),
                ),
                (
                    "vote",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follow_up",
                        to="helpcentre.vote",
                        verbose_name="vote",
                    ),
                ),
            ],
            options={
                "verbose_name": "follow-up",
                "verbose_name_plural": "follow-ups",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="SearchQueryDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("query", models.CharField(max_length=200, verbose_name="query")),
                ("searches", models.PositiveIntegerField(default=0, verbose_name="searches")),
                (
                    "no_results",
                    models.PositiveIntegerField(default=0, verbose_name="searches with no results"),
                ),
                (
                    "clicks",
                    models.PositiveIntegerField(default=0, verbose_name="clicks on a result"),
                ),
            ],
            options={
                "verbose_name": "search per day",
                "verbose_name_plural": "searches per day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "query"), name="one_row_per_query_and_day"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ArticleDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("views", models.PositiveIntegerField(default=0, verbose_name="views")),
                (
                    "claims_started",
                    models.PositiveIntegerField(default=0, verbose_name="claims started"),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="days",
                        to="helpcentre.article",
                        verbose_name="article",
                    ),
                ),
            ],
            options={
                "verbose_name": "article per day",
                "verbose_name_plural": "articles per day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "article"), name="one_row_per_article_and_day"
                    )
                ],
            },
        ),
        migrations.RunPython(words_index, no_words_index),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
        migrations.RunPython(first_revision, migrations.RunPython.noop),
    ]
