"""The claim admin and the clean-up of abandoned draft photos."""

import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command

from claims.drafts import draft_purge_stale
from tests.conftest import make_claim, make_draft_photo

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_a_claim_with_its_photos(admin_client):
    submitted = make_claim(photos=[make_draft_photo("item", seed=1)])
    photo = submitted.claim.photos.get()

    changelist = admin_client.get("/admin/claims/claim/?q=KX-48213579")
    change = admin_client.get(f"/admin/claims/claim/{submitted.claim.pk}/change/")

    assert changelist.status_code == 200
    assert submitted.claim.reference in changelist.content.decode()
    assert change.status_code == 200
    html = change.content.decode()
    assert f"/claim/photos/{photo.public_id}/thumb.jpg" in html
    assert "Active until" in html
    assert admin_client.get(f"/claim/photos/{photo.public_id}/thumb.jpg").status_code == 200


def test_admin_action_switches_customer_links_off(admin_client):
    submitted = make_claim()

    response = admin_client.post(
        "/admin/claims/claim/",
        {"action": "revoke_customer_links", "_selected_action": [submitted.claim.pk]},
        follow=True,
    )

    submitted.claim.refresh_from_db()
    assert submitted.claim.customer_link_revoked_at is not None
    assert "1 customer link switched off." in response.content.decode()


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
