"""Django's Redis cache, minus a client object built for every call.

Django's RedisCacheClient makes a new `redis.Redis` for each cache operation;
redis-py's constructor builds its table of ~170 response callbacks each time,
about 0.15 ms of CPU per get on this machine: as much as Django's whole
request/response cycle for a trivial view (see docs/benchmarks.md). One
client per connection pool is safe: redis-py clients are thread-safe and the
pool hands out the connections.

requirements.txt adds hiredis, which redis-py uses when it is installed: its
C parser reads the article page's cache entry in a fraction of the pure-Python
parser's time (the article page went from 1.66 to 1.28 ms in-process).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
