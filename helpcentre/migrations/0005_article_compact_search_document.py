"""PostgreSQL only: a search document small enough to rank thousands of matches.

Ranking reads every matching article's document. With the body's word
positions in it (0003) the document averaged 2 KB, so PostgreSQL compressed it
and ranking decompressed each one: 170 ms for a query that matched 9,442 of
10,000 articles. Here the body's words are kept without their positions
(`strip`): a body word counts once, whatever its frequency, while the title's
and summary's words keep their weights and positions. The document is half the
size and kept uncompressed (STORAGE EXTERNAL), in the row itself when it fits.

A quoted phrase still matches exactly in a title or summary; in the body it
matches when all its words are there.

`search_head` (title and summary only) lets helpcentre.search rank the
articles that mention the words in their title or summary first, without
reading the others when there are enough of them.
"""

from django.db import migrations

DOCUMENT = "search_document"
HEAD = "search_head"
TITLE_AND_SUMMARY = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B')"
)

FORWARD = f"""
DROP INDEX IF EXISTS helpcentre_article_search_document_gin;
ALTER TABLE helpcentre_article DROP COLUMN IF EXISTS {DOCUMENT};
ALTER TABLE helpcentre_article ADD COLUMN {DOCUMENT} tsvector GENERATED ALWAYS AS (
    {TITLE_AND_SUMMARY}
    || strip(to_tsvector('english'::regconfig, COALESCE(search_text, '')))
) STORED;
ALTER TABLE helpcentre_article ALTER COLUMN {DOCUMENT} SET STORAGE EXTERNAL;
ALTER TABLE helpcentre_article ADD COLUMN {HEAD} tsvector
    GENERATED ALWAYS AS ({TITLE_AND_SUMMARY}) STORED;
CREATE INDEX helpcentre_article_search_document_gin ON helpcentre_article USING gin ({DOCUMENT});
CREATE INDEX helpcentre_article_search_head_gin ON helpcentre_article USING gin ({HEAD})
"""

BACKWARD = f"""
DROP INDEX IF EXISTS helpcentre_article_search_head_gin;
ALTER TABLE helpcentre_article DROP COLUMN IF EXISTS {HEAD};
DROP INDEX IF EXISTS helpcentre_article_search_document_gin;
ALTER TABLE helpcentre_article DROP COLUMN IF EXISTS {DOCUMENT};
ALTER TABLE helpcentre_article ADD COLUMN {DOCUMENT} tsvector GENERATED ALWAYS AS (
    {TITLE_AND_SUMMARY}
    || setweight(to_tsvector('english'::regconfig, COALESCE(search_text, '')), 'C')
) STORED;
CREATE INDEX helpcentre_article_search_document_gin ON helpcentre_article USING gin ({DOCUMENT})
"""


def _run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in sql.split(";"):
                if statement.strip():
                    schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0004_article_listing_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
