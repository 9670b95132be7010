"""The servers some tests talk to: the machine's shared Redis, and S3 (moto in server mode)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

# --- Redis ------------------------------------------------------------------------

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_caches(prefix: str) -> dict:
    """CACHES for the shared Redis, as settings make them when REDIS_URL is set."""
    return {
        "default": {
            "BACKEND": "helpcentre.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


@contextmanager
def redis_key_prefix():
    """A key prefix of one's own on the shared Redis; its keys removed after.

    Never cache.clear() on it: on Redis that empties the whole database, which
    other programs on the machine share."""
    import redis

    prefix = f"hc-test-{uuid.uuid4().hex}"
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()  # fails loudly, not skipped, when Redis is not running
    yield prefix
    keys = list(connection.scan_iter(f"{prefix}:*"))
    if keys:
        connection.delete(*keys)


# --- S3 -------------------------------------------------------------------------------

S3_BUCKET = "evidence-test"
S3_CREDENTIALS = {"access_key": "testing-access-key", "secret_key": "testing-secret-key"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def moto_server():
    """A real S3 endpoint on loopback: moto in server mode, as a subprocess.

    Yields the endpoint URL with the bucket S3_BUCKET created.
    """
    import boto3

    server = Path(sys.executable).parent / "moto_server"
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on {endpoint}") from None
                time.sleep(0.1)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_CREDENTIALS["access_key"],
            aws_secret_access_key=S3_CREDENTIALS["secret_key"],
        )
        client.create_bucket(Bucket=S3_BUCKET)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_evidence_storage(endpoint: str) -> dict:
    """The "evidence" entry of STORAGES on the S3 server at endpoint, private and signed."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_CREDENTIALS,
            "bucket_name": S3_BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "addressing_style": "path",
            "location": "evidence",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",
        },
    }
