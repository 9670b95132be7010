"""The client address every limit counts: X-Forwarded-For only from a trusted proxy,
read from the right, so a visitor cannot choose their own address."""

import pytest

from helpcentre.client_ip import parse_networks, resolve
from helpcentre.settings_checks import trusted_proxy_problems

NGINX = parse_networks(["127.0.0.1"])
TWO_HOPS = parse_networks(["127.0.0.1", "10.0.0.0/8"])


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "trusted", "client"),
    [
        # No proxy configured: the header is the client's own words.
        ("203.0.113.9", "", (), "203.0.113.9"),
        ("203.0.113.9", "1.1.1.1", (), "203.0.113.9"),
        ("127.0.0.1", "1.1.1.1", (), "127.0.0.1"),
        # Straight to the app server, past the proxy: a forged header changes nothing.
        ("203.0.113.9", "1.1.1.1", NGINX, "203.0.113.9"),
        # Through nginx: the address nginx appended.
        ("127.0.0.1", "203.0.113.9", NGINX, "203.0.113.9"),
        # Through nginx with a forged header: nginx's entry is the right-most one.
        ("127.0.0.1", "1.1.1.1, 203.0.113.9", NGINX, "203.0.113.9"),
        ("127.0.0.1", "1.1.1.1,203.0.113.9", NGINX, "203.0.113.9"),
        # Two trusted hops (a load balancer in 10/8, then nginx): skip both.
        ("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.5", TWO_HOPS, "203.0.113.9"),
        # Every hop trusted: the left-most one reached is the client.
        ("127.0.0.1", "10.0.0.7", TWO_HOPS, "10.0.0.7"),
        # Garbage left of a trusted hop: the last address reached stands.
        ("127.0.0.1", "not-an-ip, 10.0.0.5", TWO_HOPS, "10.0.0.5"),
        ("127.0.0.1", "not-an-ip", NGINX, "127.0.0.1"),
        # From a trusted proxy without the header: the proxy itself.
        ("127.0.0.1", "", NGINX, "127.0.0.1"),
        # IPv6, and IPv4 seen on an IPv6 socket.
        ("::1", "2001:db8::1", parse_networks(["::1"]), "2001:db8::1"),
        ("::ffff:127.0.0.1", "203.0.113.9", NGINX, "203.0.113.9"),
        ("::ffff:203.0.113.9", "", NGINX, "203.0.113.9"),
        # No usable REMOTE_ADDR at all.
        ("", "1.1.1.1", NGINX, "unknown"),
    ],
)
def test_the_client_address(remote_addr, forwarded_for, trusted, client):
    assert resolve(remote_addr, forwarded_for, trusted) == client


@pytest.mark.parametrize(
    ("entries", "problems"),
    [
        ([], 0),
        (["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"], 0),
        (["127.0.0.1", "nginx"], 1),
        (["10.0.0.0/33"], 1),
    ],
)
def test_trusted_proxies_that_are_not_addresses_refuse_to_start(entries, problems):
    assert len(trusted_proxy_problems(entries)) == problems


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (1, 60)}
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}

    first = client.get("/search/", {"q": "a"}, HTTP_X_FORWARDED_FOR="10.0.0.2", **via_proxy)
    again = client.get("/search/", {"q": "a"}, HTTP_X_FORWARDED_FOR="10.0.0.2", **via_proxy)
    forged = client.get(
        "/search/", {"q": "a"}, HTTP_X_FORWARDED_FOR="10.0.0.9, 10.0.0.2", **via_proxy
    )
    other = client.get("/search/", {"q": "a"}, HTTP_X_FORWARDED_FOR="10.0.0.3", **via_proxy)

    assert [r.status_code for r in (first, again, forged, other)] == [200, 429, 429, 200]
