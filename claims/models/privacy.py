"""Records about personal data: files waiting to be erased, and staff access.

`PendingFileDeletion` is the erasure's journal. Erasing a claim scrubs its rows
in one transaction that also writes one journal row per file to delete; the
files are deleted after the commit, then their journal rows. A run killed in
between leaves files (or names of files already gone) that a journal row names:
never a file no row names, never a photo row whose file is gone. The next run
finishes them first (`claims.erasure.erase_pending_files`).

`PersonalDataAccess` says who looked at or took a claim's personal data and when:
a photo opened, the evidence packet downloaded, the data erased.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .claim import Claim
from .review import ImmutableRecord

__all__ = ["PendingFileDeletion", "PersonalDataAccess"]


class PendingFileDeletion(models.Model):
    storage = models.CharField(max_length=32, help_text=_("An alias of settings.STORAGES."))
    name = models.CharField(max_length=255)
    claim_reference = models.CharField(max_length=20, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("file waiting to be erased")
        verbose_name_plural = _("files waiting to be erased")
        constraints = [
            models.UniqueConstraint(
                fields=["storage", "name"], name="one_pending_deletion_per_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.storage}:{self.name}"


class PersonalDataAccess(ImmutableRecord):
    """One staff action on a claim's personal data. Written once, never changed."""

    class Action(models.TextChoices):
        VIEW_PHOTO = "view_photo", _("Opened a photo")
        DOWNLOAD_PACKET = "download_packet", _("Downloaded the evidence packet")
        ERASE = "erase", _("Erased the personal data")

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="personal_data_accesses", editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    action = models.CharField(_("what"), max_length=32, choices=Action.choices, editable=False)
    detail = models.CharField(_("detail"), max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("staff access to personal data")
        verbose_name_plural = _("staff access to personal data")

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.action}"
