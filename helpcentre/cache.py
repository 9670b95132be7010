"""Django's Redis cache, minus a client object built for every call.

Django's RedisCacheClient makes a new `redis.Redis` for each cache operation;
redis-py's constructor builds its table of ~170 response callbacks each time,
about 0.15 ms of CPU per get on this machine: as much as Django's whole
request/response cycle for a trivial view (see docs/benchmarks.md). One
client per connection pool is safe: redis-py clients are thread-safe and the
pool hands out the connections. Switched by HELPCENTRE_REDIS_CLIENT; it keeps
0.15 ms of worker CPU off each search request (the rate limit's count), 9
points of the trivial view (docs/benchmarks.md, "Speed layers").

Also the subscription that near_cache.py's copies listen on; the protocol is
explained in page_cache.py's docstring.
"""

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError


class ReusedClientRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class Subscription:
    """A Redis connection of its own, subscribed to one channel, read without waiting.

    `pending()` says how many messages arrived since the last call. It raises
    redis's ConnectionError when the connection was lost (a Redis restart, a
    dropped subscriber), because messages may have been missed.
    """

    def __init__(self, pool, channel: str, *, timeout: float = 1.0):
        self._connection = pool.connection_class(**pool.connection_kwargs)
        # Asked first: a subscribed connection answers nothing but messages.
        self._connection.send_command("CLIENT", "ID")
        self.client_id = int(self._connection.read_response(timeout=timeout))
        self._connection.send_command("SUBSCRIBE", channel)
        # Wait for Redis to confirm: only then is every later message sure to arrive.
        reply = self._connection.read_response(push_request=True, timeout=timeout)
        if not (isinstance(reply, list) and reply and reply[0] == b"subscribe"):
            self.close()
            raise RedisConnectionError(f"Redis did not confirm the subscription: {reply!r}")

    def pending(self) -> int:
        count = 0
        # One poll of the socket when nothing is waiting: no round trip.
        while self._connection.can_read(timeout=0):
            self._connection.read_response(push_request=True, timeout=0)
            count += 1
        return count

    def close(self) -> None:
        self._connection.disconnect()


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        if settings.HELPCENTRE_REDIS_CLIENT:
            self._class = ReusedClientRedisCacheClient

    # Messages between workers (helpcentre/near_cache.py). Redis channels are
    # not per database, so the channel carries the key prefix.

    # What a lost or refused connection raises (near_cache.py does not import
    # redis: a process without Redis is spared loading it).
    message_errors = (RedisError, OSError)

    def publish(self, channel: str) -> None:
        self._cache.get_client(write=True).publish(self.make_key(channel), b"")

    def subscribe(self, channel: str) -> Subscription:
        return Subscription(self._cache._get_connection_pool(write=False), self.make_key(channel))
