"""The visitor's address, as the rate limits and sign-in lock-outs count it.

Behind nginx every request reaches Django from the proxy's address, so
REMOTE_ADDR alone would make every limit one limit for the whole site. The
proxy appends the address it saw to X-Forwarded-For; anything to the left of
that came from the client and may be invented. So the header is read only
when the request comes from a proxy named in settings.TRUSTED_PROXIES
(DJANGO_TRUSTED_PROXIES, empty by default), and then from the right: the
first address that is not itself a trusted proxy is the client. A visitor
cannot pick their own address by sending the header, to nginx or straight to
an app server.

django-ipware was considered: it reads the header whatever REMOTE_ADDR is and
by default also believes headers any visitor can send (True-Client-IP,
X-Real-IP), and its trusted-proxy list matches fixed positions at the end of
the chain rather than skipping every trusted hop, so it cannot express this
rule.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR ranges ("127.0.0.1", "10.0.0.0/8"); ValueError names a bad one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network") from None
    return tuple(networks)


def _address(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client seen on an IPv6 socket (::ffff:203.0.113.9) is that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def resolve(remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: REMOTE_ADDR, or, from a trusted proxy, the right-most
    untrusted address in X-Forwarded-For."""
    address = _address(remote_addr)
    if address is None:
        return remote_addr.strip() or "unknown"

    def is_trusted(candidate: Address) -> bool:
        return any(candidate in network for network in trusted)

    for hop in reversed(forwarded_for.split(",") if is_trusted(address) else []):
        candidate = _address(hop)
        if candidate is None:
            # Not an address: what lies further left cannot be told apart from
            # invention, so the last proxy reached stands for the client.
            break
        address = candidate
        if not is_trusted(candidate):
            break
    return str(address)


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def client_ip(request) -> str:
    """The address that every limit on this request counts."""
    return resolve(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        _trusted(tuple(settings.TRUSTED_PROXIES)),
    )
