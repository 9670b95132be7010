"""claims.drafts: the clean-up of abandoned draft photos, by function and by command."""

import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command

from claims.drafts import draft_purge_stale
from tests.factories import make_draft_photo

pytestmark = pytest.mark.django_db


def test_stale_drafts_are_purged_and_fresh_ones_kept(tmp_path):
    old = make_draft_photo("item", seed=1, draft_key="oldform")
    make_draft_photo("item", seed=2, draft_key="newform")
    long_ago = time.time() - 3 * 24 * 3600
    for name in (old.image_name, old.thumbnail_name):
        os.utime(tmp_path / "drafts" / name, (long_ago, long_ago))

    assert draft_purge_stale(older_than=timedelta(days=1)) == 2
    assert not (tmp_path / "drafts" / old.image_name).exists()
    assert len(list((tmp_path / "drafts" / "newform").iterdir())) == 2


def test_purge_command_runs(capsys):
    call_command("purge_claim_drafts", "--hours", "1")

    assert "Deleted 0 draft photo file(s)." in capsys.readouterr().out
