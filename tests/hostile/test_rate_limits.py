"""Floods of the public forms and the customer's link: after the configured
number of requests from one address in a window, the friendly 429 page with
Retry-After, and nothing more stored. The counts live in the cache every
worker shares: Redis when REDIS_URL is set, tested against the real one."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core import signing
from django.test import override_settings

from claims.models import Claim
from helpcentre import forms as guide_forms
from helpcentre import ratelimit
from helpcentre.models import Comment, Vote
from tests.factories import GUIDE_URL
from tests.hostile.checks import assert_refused
from tests.servers import REDIS_URL, redis_caches
from tests.wizard import walk_claim_wizard, wizard_post

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parent.parent.parent
TOO_MANY = "There have been too many requests from here."


def _limit(settings, name, count, seconds=600):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: (count, seconds)}


def _comment_data(n):
    return {
        "name": f"Reader {n}",
        "email": "reader@example.com",
        "body": f"Comment number {n}",
        "website": "",
        "shown_at": signing.dumps(int(time.time()) - 10, salt=guide_forms._SALT),
    }


def test_a_comment_flood_is_stopped(client, settings):
    settings.HELPCENTRE_COMMENT_MIN_SECONDS = 0
    _limit(settings, "comment", 2)

    statuses = [
        client.post(f"{GUIDE_URL}comments/", _comment_data(n)).status_code for n in range(3)
    ]
    last = client.post(f"{GUIDE_URL}comments/", _comment_data(9))

    assert statuses == [302, 302, 429]
    assert_refused(last, 429, "Too many attempts", TOO_MANY, "Wait 10 minutes")
    assert last["Retry-After"] == "600"
    assert "no-store" in last["Cache-Control"]
    assert Comment.objects.count() == 2


def test_a_vote_flood_is_stopped_even_without_the_visitor_cookie(client, settings):
    _limit(settings, "vote", 3)

    statuses = []
    for _ in range(4):
        client.cookies.clear()  # a script drops the cookie to vote again
        statuses.append(client.post(f"{GUIDE_URL}vote/", {"helpful": "yes"}).status_code)

    assert statuses == [302, 302, 302, 429]
    assert Vote.objects.count() == 3


def test_a_search_flood_is_stopped(client, settings):
    _limit(settings, "search", 3, 60)

    statuses = [client.get("/search/", {"q": f"damaged {n}"}).status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_a_flood_of_claim_form_posts_is_stopped(client, settings, tmp_path):
    _limit(settings, "claim-post", 3)
    client.get("/claim/")

    statuses = [
        wizard_post(client, "what-happened", {"issue_type": "missing_item"}).status_code
        for _ in range(4)
    ]

    assert statuses == [302, 302, 302, 429]


def test_claim_submits_from_one_address_are_limited_but_a_repeat_is_free(client, settings):
    _limit(settings, "claim-submit", 1, 3600)
    walk_claim_wizard(client, photo_source="customer")
    sent = client.session["claims_submitted"]
    repeat = wizard_post(client, "check", {"submission_key": next(iter(sent))})

    second = walk_claim_wizard(client, photo_source="customer", details={"item": "Vase"})

    assert repeat.status_code == 302
    assert_refused(second, 429, TOO_MANY)
    assert Claim.objects.count() == 1


def test_the_claim_submit_limit_answers_with_the_429_page(client, settings):
    _limit(settings, "claim-submit", 0, 3600)
    client.get("/claim/")

    response = wizard_post(client, "check", {"submission_key": str(uuid.uuid4())})

    assert_refused(response, 429, TOO_MANY, "Wait 60 minutes")
    assert response["Retry-After"] == "3600"
    assert Claim.objects.count() == 0


def test_other_addresses_are_not_held_up(client, settings):
    _limit(settings, "search", 1, 60)
    client.get("/search/", {"q": "a"}, REMOTE_ADDR="10.0.0.1")

    blocked = client.get("/search/", {"q": "a"}, REMOTE_ADDR="10.0.0.1")
    other = client.get("/search/", {"q": "a"}, REMOTE_ADDR="10.0.0.2")

    assert (blocked.status_code, other.status_code) == (429, 200)


def test_a_spoofed_forwarded_for_does_not_reset_the_count(client, settings):
    _limit(settings, "search", 1, 60)
    client.get("/search/", {"q": "a"}, HTTP_X_FORWARDED_FOR="1.1.1.1")

    response = client.get("/search/", {"q": "a"}, HTTP_X_FORWARDED_FOR="2.2.2.2")

    assert response.status_code == 429


# --- Shared by every worker: the real Redis ---------------------------------


def _run_as_another_worker(prefix: str, code: str) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "helpcentre.settings",
        "DJANGO_SECRET_KEY": "another-worker",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
    }
    script = f"import django; django.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_settings_use_redis_when_redis_url_is_set(redis_prefix):
    _run_as_another_worker(
        redis_prefix,
        "from django.conf import settings\n"
        "from django.core.cache import caches\n"
        "from django.core.cache.backends.redis import RedisCache\n"
        "assert isinstance(caches['default'], RedisCache), settings.CACHES['default']['BACKEND']\n",
    )


def test_counts_in_redis_are_shared_by_every_worker(client, settings, redis_prefix):
    # Another process, as another gunicorn worker would, uses up the limit.
    _run_as_another_worker(
        redis_prefix,
        "from helpcentre import ratelimit\n"
        "for _ in range(3):\n"
        "    ratelimit.over_limit('search:10.5.5.5', limit=3, window_seconds=60)\n",
    )
    _limit(settings, "search", 3, 60)
    caches = redis_caches(redis_prefix)

    with override_settings(CACHES=caches):
        blocked = client.get("/search/", {"q": "x"}, REMOTE_ADDR="10.5.5.5")
        other = client.get("/search/", {"q": "x"}, REMOTE_ADDR="10.5.5.6")
        counted = ratelimit.reached("search:10.5.5.6", ratelimit.Limit(1, 60))

    assert_refused(blocked, 429, TOO_MANY)
    assert other.status_code == 200
    assert counted


def test_admin_lockouts_in_redis_are_shared_by_every_worker(client, settings, redis_prefix):
    from helpcentre.login_guard import locked

    settings.ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    # Two failed sign-ins counted by another worker (through the signal).
    _run_as_another_worker(
        redis_prefix,
        "from django.contrib.auth.signals import user_login_failed\n"
        "for _ in range(2):\n"
        "    user_login_failed.send(sender=None, credentials={'username': 'editor'})\n",
    )
    caches = redis_caches(redis_prefix)

    with override_settings(CACHES=caches):
        refused = locked(username="editor", ip="10.8.8.8")
        response = client.post(
            "/admin/login/", {"username": "editor", "password": "anything"}, REMOTE_ADDR="10.8.8.8"
        )
        other = locked(username="reviewer", ip="10.8.8.8")

    assert refused and not other
    assert response.status_code == 429
