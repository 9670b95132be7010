"""The Redis cache backend's reused client, and its switch."""

from django.core.cache.backends.redis import RedisCacheClient

from helpcentre.cache import RedisCache, ReusedClientRedisCacheClient
from tests.servers import REDIS_URL


def test_one_client_is_reused_per_connection_pool():
    backend = RedisCache(REDIS_URL, {})
    assert isinstance(backend._cache, ReusedClientRedisCacheClient)
    assert backend._cache.get_client() is backend._cache.get_client()


def test_with_the_client_switch_off_django_builds_a_client_per_call(settings):
    settings.HELPCENTRE_REDIS_CLIENT = False
    backend = RedisCache(REDIS_URL, {})
    assert type(backend._cache) is RedisCacheClient
    assert backend._cache.get_client() is not backend._cache.get_client()
