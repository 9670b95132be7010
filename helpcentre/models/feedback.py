"""What readers send back about an article: comments, votes and the
follow-ups a "not helpful" vote opens."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .guide import Article


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), help_text=_("Never published."))
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.name} on {self.article}"


class Vote(models.Model):
    """One visitor's answer to "Was this article helpful?"."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="votes", verbose_name=_("article")
    )
    visitor_id = models.CharField(max_length=64, editable=False)
    helpful = models.BooleanField(_("helpful"))
    reason = models.TextField(_("what was missing"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_id"], name="one_vote_per_visitor"),
        ]

    def __str__(self):
        return f"{'Yes' if self.helpful else 'No'} on {self.article}"


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FollowUp.Status.OPEN)


class FollowUp(models.Model):
    """A reader said "not helpful" and why: for the article's owner to act on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EDITED = "edited", _("Closed: article edited")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("article")
    )
    vote = models.OneToOneField(
        Vote, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("vote")
    )
    reason = models.TextField(_("what the reader said was missing"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.article}: {self.reason[:60]}"
