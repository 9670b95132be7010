"""Writes with side effects: publishing, drafts, comments, votes and their
follow-ups; dropping the cached search synonyms (read in models/search.py; the
category list: category_nav.py).

Keyword-only `<entity>_<action>()` functions that validate, then save inside a
transaction. Views and admin actions call these; models and forms don't.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from helpcentre import page_cache
from helpcentre.category_nav import category_nav_invalidate
from helpcentre.models import (
    SYNONYMS_KEY,
    Article,
    ArticleDay,
    ArticleDraft,
    Comment,
    FollowUp,
    SearchQueryDay,
    Vote,
)

# --- Search: synonyms and the words "Did you mean" suggests ------------------------


def search_synonyms_invalidate() -> None:
    """Synonyms change results: drop them and every cached page (search pages included)."""
    cache.delete(SYNONYMS_KEY)
    transaction.on_commit(lambda: cache.delete(SYNONYMS_KEY))
    category_nav_invalidate()


# Every word of 3 to 60 letters of a published article's title, summary and text.
_WORDS_SQL = """
INSERT INTO helpcentre_searchword (word)
SELECT DISTINCT w FROM helpcentre_article,
    regexp_split_to_table(lower(title || ' ' || summary || ' ' || search_text), '[^[:alpha:]]+')
    AS w
WHERE status = 'published' AND length(w) BETWEEN 3 AND 60 {only}
ON CONFLICT (word) DO NOTHING
"""


def search_words_add(*, article_ids=None) -> None:
    """PostgreSQL: add the words of these published articles (all when None) to
    what "Did you mean" suggests. Words of articles since unpublished stay until
    `manage.py purge_guide_stats --rebuild-words`; a suggestion then finds fewer."""
    if connection.vendor != "postgresql":
        return
    only = "AND id = ANY(%s)" if article_ids is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(_WORDS_SQL.format(only=only), [list(article_ids)] if only else [])


def search_words_rebuild() -> None:
    if connection.vendor != "postgresql":
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM helpcentre_searchword")
        search_words_add()


# --- Counts and their retention ---------------------------------------------------


def guide_stats_purge(*, older_than_days: int) -> int:
    """Delete the per-day search and article counts older than this many days."""
    if older_than_days < 1:
        raise ValueError("Keep at least one day of counts.")
    cutoff = timezone.localdate() - timezone.timedelta(days=older_than_days)
    with transaction.atomic():
        searches, _ = SearchQueryDay.objects.filter(day__lt=cutoff).delete()
        articles, _ = ArticleDay.objects.filter(day__lt=cutoff).delete()
    return searches + articles


# --- Editing: the live article, its draft, its follow-ups ----------------------------


def article_edited(*, article: Article) -> int:
    """An editor saved the article (live): its open follow-ups are closed, its
    draft (if any) is what was just published, and a change note is dated."""
    with transaction.atomic():
        if article.change_note and article.change_note_at != timezone.localdate():
            Article.objects.filter(pk=article.pk).update(change_note_at=timezone.localdate())
        ArticleDraft.objects.filter(article=article).delete()
        closed = article.follow_ups.open().update(
            status=FollowUp.Status.EDITED, closed_at=timezone.now()
        )
        search_words_add(article_ids=[article.pk])
    return closed


def article_draft_save(*, article: Article, data: dict, user=None) -> ArticleDraft:
    """Keep an edit of a published article aside: the live page does not change."""
    if article.pk is None or article.status != Article.Status.PUBLISHED:
        raise ValueError("Only a saved, published article has a draft kept aside.")
    values = {field: data.get(field, getattr(article, field)) for field in ArticleDraft.FIELDS}
    with transaction.atomic():
        draft, _ = ArticleDraft.objects.update_or_create(
            article=article, defaults={**values, "saved_by": user}
        )
    return draft


def article_draft_apply(article: Article) -> bool:
    """Show the article's kept-aside draft in `article` (not saved): True if it has one."""
    draft = ArticleDraft.objects.filter(article_id=article.pk).first()
    if draft is None:
        return False
    for field in ArticleDraft.FIELDS:
        setattr(article, field, getattr(draft, field))
    return True


def article_draft_discard(*, article: Article) -> bool:
    with transaction.atomic():
        deleted, _ = ArticleDraft.objects.filter(article=article).delete()
    return bool(deleted)


def follow_ups_dismiss(*, follow_ups) -> int:
    """The owner read these and decided the article needs no change."""
    with transaction.atomic():
        return follow_ups.filter(status=FollowUp.Status.OPEN).update(
            status=FollowUp.Status.DISMISSED, closed_at=timezone.now()
        )


# --- Publishing -----------------------------------------------------------------


def article_publish(*, articles) -> int:
    """Publish the given articles; ones never published get today's publish date."""
    count = 0
    with transaction.atomic():
        for article in articles:
            if article.status == Article.Status.PUBLISHED and article.published_at:
                continue
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or timezone.now()
            article.save()
            count += 1
        # Their words are what "Did you mean" suggests from now on.
        search_words_add(article_ids=[article.pk for article in articles])
    category_nav_invalidate()
    return count


def article_unpublish(*, articles) -> int:
    """Make the given articles drafts again (a 404 to the public)."""
    count = 0
    with transaction.atomic():
        for article in articles:
            if article.status == Article.Status.DRAFT:
                continue
            article.status = Article.Status.DRAFT
            article.save()
            count += 1
    category_nav_invalidate()
    return count


# --- Comments -------------------------------------------------------------------


def client_ip_hash(ip: str | None) -> str:
    """A keyed hash of the client address: spots floods without storing the address."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


def comment_create(*, article: Article, name: str, email: str, body: str, ip: str | None = None):
    """A reader's comment, held for moderation (never shown until approved)."""
    if not article.is_public:
        raise ValueError("Comments are only taken on published articles.")
    return Comment.objects.create(
        article=article,
        name=name.strip(),
        email=email.strip(),
        body=body.strip(),
        status=Comment.Status.PENDING,
        ip_hash=client_ip_hash(ip),
    )


def _set_comment_status(comments, status: str) -> int:
    with transaction.atomic():
        comments = list(comments.select_for_update())
        changed = [c for c in comments if c.status != status]
        for comment in changed:
            comment.status = status
            comment.save(update_fields=["status"])
        article_ids = {c.article_id for c in changed}
        # Approved comments change the public page: a new ETag, and its cached copy is stale.
        articles = Article.objects.filter(pk__in=article_ids)
        articles.update(activity_at=timezone.now())
        page_cache.activity_changed(slugs=articles.values_list("slug", flat=True))
    return len(changed)


def comments_approve(*, comments) -> int:
    """Show these comments on their article pages."""
    return _set_comment_status(comments, Comment.Status.APPROVED)


def comments_mark_spam(*, comments) -> int:
    """Hide these comments for good (kept for the record, never shown)."""
    return _set_comment_status(comments, Comment.Status.SPAM)


# --- Votes ------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteOutcome:
    vote: Vote
    created: bool


def vote_cast(*, article: Article, visitor_id: str, helpful: bool, reason: str = "") -> VoteOutcome:
    """Record a visitor's "Was this helpful?" answer, counted once per visitor.

    A second answer from the same visitor changes nothing in the counts; a reason
    sent later with the same "no" is kept. A "no" with a reason opens a
    follow-up for the article's owner.
    """
    if not article.is_public:
        raise ValueError("Votes are only taken on published articles.")
    reason = (reason or "").strip()[:1000] if not helpful else ""
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                article=article, visitor_id=visitor_id, helpful=helpful, reason=reason
            )
            counter = "helpful_yes_count" if helpful else "helpful_no_count"
            Article.objects.filter(pk=article.pk).update(
                **{counter: F(counter) + 1}, activity_at=timezone.now()
            )
            page_cache.activity_changed(slugs=[article.slug])
            if reason:
                FollowUp.objects.create(article=article, vote=vote, reason=reason)
    except IntegrityError:
        with transaction.atomic():
            vote = Vote.objects.get(article=article, visitor_id=visitor_id)
            if reason and not vote.helpful and not vote.reason:
                vote.reason = reason
                vote.save(update_fields=["reason"])
                FollowUp.objects.get_or_create(
                    vote=vote, defaults={"article": article, "reason": reason}
                )
        return VoteOutcome(vote=vote, created=False)
    return VoteOutcome(vote=vote, created=True)
