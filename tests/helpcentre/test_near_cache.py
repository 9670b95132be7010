"""Each worker's copies of the shared pages, against the real Redis on this machine."""

import time

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings

from helpcentre import near_cache, services
from helpcentre.cache import RedisCache
from helpcentre.near_cache import NearCache
from tests.servers import REDIS_URL, redis_caches

FAR = time.time() + 3600


def eventually(condition, within=2.0):
    """Redis writes a message to the subscribers right after answering the
    publisher: a check in the same process, a few microseconds later, may
    come before it. A request from a browser never does; here, poll briefly."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


@pytest.fixture
def shared(redis_prefix):
    """A worker's view of the shared Redis cache; call it again for another worker."""
    backends = []

    def make():
        backend = RedisCache(REDIS_URL, {"KEY_PREFIX": redis_prefix})
        backends.append(backend)
        return backend

    yield make
    for backend in backends:
        backend.close()


@pytest.fixture
def workers(shared):
    made = []

    def make(**options):
        worker = NearCache(shared(), **options)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.close()


def test_a_copy_is_kept_until_another_worker_changes_a_page(workers):
    reader, writer = workers(), workers()
    assert reader.get("page") is None  # subscribes
    reader.put("page", b"<html>", expires_at=FAR)
    assert reader.get("page") == b"<html>"

    writer.changed()

    assert eventually(lambda: reader.get("page") is None)
    # Kept again once read again from the shared cache.
    reader.put("page", b"<html> v2", expires_at=FAR)
    assert reader.get("page") == b"<html> v2"


def test_the_writer_drops_its_own_copies_at_once(workers):
    worker = workers()
    worker.get("page")
    worker.put("page", b"<html>", expires_at=FAR)

    worker.changed()

    assert worker.get("page") is None


def test_a_lost_subscription_drops_the_copies_and_a_new_one_is_made(workers):
    worker = workers()
    worker.get("page")
    worker.put("page", b"<html>", expires_at=FAR)
    # Redis drops the subscriber (a restart, an overflowing queue): messages
    # may have been missed, so nothing kept so far may be trusted.
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=worker._subscription.client_id)

    assert eventually(lambda: worker.get("page") is None)
    assert worker.get("page") is None  # subscribed again
    worker.put("page", b"<html> again", expires_at=FAR)
    assert worker.get("page") == b"<html> again"


def test_copies_expire_with_the_category_list_and_after_max_age(workers):
    worker = workers(max_age=0.05)
    worker.get("any")
    worker.put("list expired", b"x", expires_at=time.time() - 1)
    worker.put("old", b"y", expires_at=FAR)
    assert worker.get("list expired") is None
    assert worker.get("old") == b"y"
    time.sleep(0.06)
    assert worker.get("old") is None


def test_a_worker_keeps_a_bounded_number_of_copies(workers):
    worker = workers(max_items=3)
    worker.get("any")
    for number in range(5):
        worker.put(f"page {number}", number, expires_at=FAR)
    assert [worker.get(f"page {number}") for number in range(5)] == [None, None, 2, 3, 4]


def test_with_the_near_cache_off_nothing_is_copied(workers, settings):
    settings.HELPCENTRE_NEAR_CACHE = False
    worker = workers()
    worker.get("page")
    worker.put("page", b"<html>", expires_at=FAR)
    assert worker.get("page") is None


def test_without_redis_nothing_is_copied():
    worker = NearCache(LocMemCache("near-cache-test", {}))
    worker.get("page")
    worker.put("page", b"<html>", expires_at=FAR)
    assert worker.get("page") is None
    worker.changed()  # nothing to tell, no error


def test_with_redis_down_pages_come_from_the_shared_cache_alone():
    unreachable = RedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    worker = NearCache(unreachable)

    assert worker.get("page") is None
    worker.put("page", b"<html>", expires_at=FAR)
    started = time.monotonic()
    assert worker.get("page") is None
    # Not a connection attempt per request while Redis is away.
    assert time.monotonic() - started < 0.05


# --- Through the pages, with Redis as the shared cache -----------------------------


@pytest.fixture
def redis_pages(redis_prefix):
    with override_settings(CACHES=redis_caches(redis_prefix)):
        yield
    near_cache.pages.close()


@pytest.fixture
def shared_reads(redis_pages, monkeypatch):
    """Every read of pages from the shared cache, as the keys read."""
    reads = []
    backend = caches["default"]
    real = backend.get_many

    def get_many(keys, *args, **kwargs):
        reads.append(keys)
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", get_many)
    return reads


def test_a_warm_article_comes_from_the_workers_copy_and_an_edit_shows_at_once(
    make_article, redis_pages, django_assert_num_queries
):
    article = make_article(title="Before the edit")
    url = article.get_absolute_url()
    reader = Client()
    reader.get(url)  # rendered, stored in Redis
    reader.get(url)  # read from Redis, copied
    with django_assert_num_queries(0):
        assert b"Before the edit" in reader.get(url).content

    article.title = "After the edit"
    article.save()

    assert b"After the edit" in reader.get(url).content


def test_a_vote_changes_the_copied_article_page_and_its_etag(make_article, redis_pages):
    article = make_article()
    url = article.get_absolute_url()
    reader = Client()
    reader.get(url)
    etag = reader.get(url)["ETag"]
    assert reader.get(url, headers={"if-none-match": etag}).status_code == 304

    services.vote_cast(article=article, visitor_id="v1", helpful=True)

    response = reader.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_listings_are_served_from_the_copy_without_a_shared_read(
    make_article, redis_pages, shared_reads
):
    article = make_article(title="Listed first")
    home = Client()
    home.get("/")
    home.get("/")
    before = len(shared_reads)

    assert b"Listed first" in home.get("/").content
    category = article.category.get_absolute_url()
    for _ in range(3):
        assert b"Listed first" in home.get(category).content

    # The home page from the copy; the category page rendered, read once, then copied.
    assert len(shared_reads) == before + 2
