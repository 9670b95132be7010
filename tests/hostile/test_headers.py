"""Hostile request headers: bad and spoofed hosts, huge headers, bogus
ranges, nonsense languages. Refused with the site's own 400 page, or ignored;
never a 5xx, and a spoofed host never reaches a link."""

import re
import socket

import pytest
from django.core import mail
from django.templatetags.static import static
from django.test import Client

from tests.factories import make_claim
from tests.hostile.checks import assert_refused
from tests.wizard import walk_claim_wizard

pytestmark = [pytest.mark.hostile, pytest.mark.django_db]

BAD_REQUEST = "We could not read that request"

BAD_HOSTS = [
    pytest.param("evil.example", id="unknown-host"),
    pytest.param("127.0.0.1@evil.example", id="userinfo-trick"),
    pytest.param("127.0.0.1:80:80", id="double-port"),
    pytest.param("127.0.0.1\r\nX-Injected: 1", id="crlf-injection"),
    pytest.param("exa mple.com", id="space"),
    pytest.param("a" * 5000 + ".example", id="very-long"),
    pytest.param("[::1", id="broken-ipv6"),
]


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_host_header_gets_the_400_page_not_a_500(client, nothing_stored, host, method):
    with nothing_stored():
        response = getattr(client, method)("/claim/", HTTP_HOST=host)

    assert_refused(response, 400, BAD_REQUEST)
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize(
    "header",
    [
        pytest.param({"HTTP_USER_AGENT": "A" * 60_000}, id="huge-user-agent"),
        pytest.param({"HTTP_COOKIE": "; ".join(f"c{n}={'x' * 50}" for n in range(600))},
                     id="huge-cookie"),
        pytest.param({"HTTP_COOKIE": "sessionid=" + "\x00" * 100}, id="nul-cookie"),
        pytest.param({"HTTP_COOKIE": "csrftoken=" + "<script>" * 20}, id="markup-cookie"),
        pytest.param({"HTTP_REFERER": "javascript:alert(1)"}, id="script-referer"),
        pytest.param({"HTTP_X_FORWARDED_FOR": "1.2.3.4, " * 2000}, id="huge-forwarded-for"),
    ],
)  # fmt: skip
def test_huge_or_odd_headers_are_ignored_by_the_application(client, header):
    response = client.get("/", **header)

    assert response.status_code == 200
    assert "Seller Help Centre" in response.content.decode()


def test_a_header_line_over_the_server_limit_is_refused_by_the_server(live_server):
    """Through a real HTTP server, not the test client: a 70 KB header line
    is refused before Django sees it. gunicorn refuses far smaller ones
    (limit_request_field_size, 8190 bytes) the same way."""
    host, port = live_server.url.removeprefix("http://").split(":")
    request = (
        f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {'b' * 70_000}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        status_line = sock.makefile("rb").readline().decode()

    assert re.match(r"HTTP/1\.[01] 4\d\d ", status_line), status_line


@pytest.mark.parametrize(
    ("range_header", "status"),
    [
        pytest.param("bytes=999999999-", 416, id="beyond-the-end"),
        pytest.param("bytes=500-100", 416, id="backwards"),
        pytest.param("bytes=abc-def", 200, id="not-numbers"),
        pytest.param("bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8,9-9" * 50, 200, id="many-ranges"),
        pytest.param("lines=1-2", 200, id="unknown-unit"),
    ],
)
def test_a_bogus_range_on_a_static_file_is_never_a_5xx(client, range_header, status):
    response = client.get(static("css/site.css"), HTTP_RANGE=range_header)

    assert response.status_code in (status, 206)
    assert response.status_code < 500


def test_a_bogus_range_on_a_private_photo_gets_the_whole_photo(client):
    from tests.factories import make_draft_photo

    submitted = make_claim(photos=[make_draft_photo("item", seed=7, draft_key="r")])
    photo = submitted.claim.photos.get()

    response = client.get(
        f"/claim/r/{submitted.result_token}/photos/{photo.public_id}/full.jpg",
        HTTP_RANGE="bytes=-0,99999999999999999999-",
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize(
    "accept_language",
    [
        pytest.param("xx-INVALID;q=abc,*;q=zz", id="bad-quality"),
        pytest.param("en-gb;q=0.9," * 2000, id="very-long"),
        pytest.param("../../etc/passwd", id="path"),
        pytest.param("<script>alert(1)</script>", id="markup"),
        pytest.param("zh-Hant-TW-x-private-" + "a" * 300, id="long-tag"),
    ],
)
def test_a_nonsense_accept_language_is_ignored(client, accept_language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


# --- Links built from settings.SITE_BASE_URL, never from the request -----


@pytest.mark.parametrize("use_x_forwarded_host", [False, True])
def test_spoofed_host_headers_never_reach_the_links_in_emails(settings, use_x_forwarded_host):
    settings.ALLOWED_HOSTS = ["spoofed.example", "attacker.example", "testserver"]
    settings.USE_X_FORWARDED_HOST = use_x_forwarded_host
    settings.SITE_BASE_URL = "https://help.example.com"
    client = Client(HTTP_HOST="spoofed.example", HTTP_X_FORWARDED_HOST="attacker.example")

    response = walk_claim_wizard(
        client, details={"seller_email": "seller@example.com"}, photo_source="customer"
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = (
            message.subject
            + message.body
            + "".join(str(content) for content, _type in getattr(message, "alternatives", []))
        )
        links = re.findall(r"https?://[^\s\"'<>]+", text)
        assert links, "the email carries its links"
        assert all(link.startswith("https://help.example.com/claim/") for link in links)
        assert "spoofed.example" not in text and "attacker.example" not in text


def test_spoofed_host_headers_never_reach_the_links_on_pages(settings):
    settings.ALLOWED_HOSTS = ["spoofed.example", "attacker.example", "testserver"]
    settings.USE_X_FORWARDED_HOST = True
    settings.SITE_BASE_URL = "https://help.example.com"
    client = Client(HTTP_HOST="spoofed.example", HTTP_X_FORWARDED_HOST="attacker.example")
    submitted = make_claim()

    pages = [
        client.get("/"),
        client.get("/articles/what-to-do-if-a-customer-reports-a-missing-or-damaged-item/"),
        client.get(f"/claim/r/{submitted.result_token}/"),
        client.get("/robots.txt"),
        client.get("/sitemap.xml"),
    ]

    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert "attacker.example" not in body and "spoofed.example" not in body
    assert f"https://help.example.com/claim/c/{submitted.customer_token}/" in (
        pages[2].content.decode()
    )
