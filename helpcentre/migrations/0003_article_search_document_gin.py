"""PostgreSQL only: a stored, GIN-indexed full-text document for each article.

Computing to_tsvector() for every published article on every search costs
about the size of the whole guide per query (tens of ms at 10,000 articles);
a generated column is written once when the row changes and the GIN index
finds the matches without reading the other rows. The weights and the
'english' configuration are the ones helpcentre.search used per request.

The column is not a model field: PostgreSQL fills it on every INSERT/UPDATE,
Django never writes it, and other databases (SQLite in development) do without.
"""

from django.db import migrations

COLUMN = "search_document"
INDEX = "helpcentre_article_search_document_gin"

FORWARD = f"""
ALTER TABLE helpcentre_article ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(search_text, '')), 'C')
) STORED;
CREATE INDEX {INDEX} ON helpcentre_article USING gin ({COLUMN});
"""
BACKWARD = f"""
DROP INDEX IF EXISTS {INDEX};
ALTER TABLE helpcentre_article DROP COLUMN IF EXISTS {COLUMN};
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD.split(";"):
            if statement.strip():
                schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD.split(";"):
            if statement.strip():
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0002_seed_guide")]

    operations = [migrations.RunPython(forward, backward)]
