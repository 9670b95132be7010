"""Personal data of the guide's readers, kept only as long as it is needed.

Searches and article counts are stored per day without personal data from the
start (helpcentre/tally.py). What does identify someone, and how long it stays:

- a comment's email address (never published) and the hash of the address it
  came from: settings.COMMENT_PERSONAL_DATA_DAYS, long enough to moderate; the
  name and text the commenter chose to publish stay with the comment;
- a vote's link to the visitor's cookie, which lets them change their vote:
  settings.VOTE_VISITOR_DAYS; the vote itself (helpful or not, and why) stays.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from claims.retention import ERASED_MARK
from helpcentre.models import Comment, Vote

__all__ = ["ERASED_VISITOR_PREFIX", "GuideErasure", "guide_personal_data_erase"]

# An unlinked vote's visitor id: unique per vote (the one-vote-per-visitor
# constraint holds) and no cookie can ever carry it.
ERASED_VISITOR_PREFIX = "erased:"


@dataclass(frozen=True)
class GuideErasure:
    comments: int
    votes: int


def guide_personal_data_erase(*, now: datetime) -> GuideErasure:
    """Erase commenters' email addresses and unlink votes from visitors, when due."""
    comment_cutoff = now - timedelta(days=settings.COMMENT_PERSONAL_DATA_DAYS)
    vote_cutoff = now - timedelta(days=settings.VOTE_VISITOR_DAYS)
    with transaction.atomic():
        comments = (
            Comment.objects.filter(created_at__lt=comment_cutoff)
            .exclude(email=ERASED_MARK, ip_hash="")
            .update(email=ERASED_MARK, ip_hash="")
        )
        votes = (
            Vote.objects.filter(created_at__lt=vote_cutoff)
            .exclude(visitor_id__startswith=ERASED_VISITOR_PREFIX)
            .update(
                visitor_id=Concat(
                    Value(ERASED_VISITOR_PREFIX), Cast("pk", output_field=CharField())
                )
            )
        )
    return GuideErasure(comments=comments, votes=votes)
