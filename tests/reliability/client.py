"""A seller's browser, reduced to HTTP: walks the claim form over a real socket.

Picklable inputs and outputs only, so multiprocessing workers can use it.
"""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

STEP_FIELD = "claim_wizard-current_step"
REFERENCE = re.compile(r'class="panel__reference">([^<]+)<')
CUSTOMER_LINK = re.compile(r'id="customer-link-url">([^<]+)<')
SUBMISSION_KEY = re.compile(r'name="check-submission_key" value="([0-9a-f-]{36})"')


def make_jpeg(seed: int, width: int = 640, height: int = 480) -> bytes:
    """A distinct photo-like JPEG per seed (noise, so no two hash the same)."""
    import random

    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("RGB", (width // 8, height // 8))
    image.putdata(
        [
            (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            for _ in range(image.width * image.height)
        ]
    )
    out = io.BytesIO()
    image.resize((width, height)).save(out, "JPEG", quality=85)
    return out.getvalue()


@dataclass(frozen=True)
class Sent:
    status: int
    reference: str
    result_url: str
    customer_link: str


class ClaimClient:
    """One seller's session; `base` may change between requests (another server)."""

    def __init__(self, base: str, timeout: float = 60):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()

    def _csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, timeout=self.timeout, **kwargs)

    def post_step(
        self, step: str, data: dict | None = None, files=None, raw_names=()
    ) -> requests.Response:
        payload = {STEP_FIELD: step, "csrfmiddlewaretoken": self._csrf()}
        for name, value in (data or {}).items():
            payload[name if name in raw_names else f"{step}-{name}"] = value
        return self.http.post(
            f"{self.base}/claim/{step}/",
            data=payload,
            files=files,
            allow_redirects=False,
            timeout=self.timeout,
            headers={"Referer": f"{self.base}/claim/{step}/"},
        )

    def start(self, *, order_number: str, seller_email: str = "") -> None:
        """Answer every step up to the photos (a damaged item, Kingston Express, domestic)."""
        assert self.get("/claim/").status_code == 200
        expect_redirect(self.post_step("what-happened", {"issue_type": "damaged_item"}))
        expect_redirect(self.post_step("fulfillment", {"fulfillment_method": "kingston_express"}))
        expect_redirect(self.post_step("destination", {"destination": "domestic"}))
        details = {
            "order_number": order_number,
            "item": "Ceramic mug, SKU MUG-001",
            "description": "The handle is snapped off.",
            "quantity_affected": "1",
            "customer_name": "Ada Customer",
            "customer_email": "ada@example.com",
            "seller_email": seller_email,
            "severity": "major",
        }
        expect_redirect(self.post_step("order-details", details))

    def upload(self, photos: list[tuple[str, bytes]]) -> requests.Response:
        files = [
            (f"photos-{kind}", (f"{kind}-{i}.jpg", data, "image/jpeg"))
            for i, (kind, data) in enumerate(photos)
        ]
        return self.post_step("photos", {"action": "upload"}, files=files, raw_names=("action",))

    def choose_source(self, source: str = "attach") -> requests.Response:
        return self.post_step("photos", {"photo_source": source})

    def submission_key(self) -> str:
        page = self.get("/claim/check/")
        assert page.status_code == 200, page.status_code
        match = SUBMISSION_KEY.search(page.text)
        assert match, "no submission key on the check page"
        return match.group(1)

    def send(self, key: str) -> requests.Response:
        return self.post_step("check", {"submission_key": key})

    def result(self, response: requests.Response) -> Sent:
        location = response.headers.get("Location", "")
        page = self.get(urlsplit(location).path) if location else response
        reference = REFERENCE.search(page.text)
        link = CUSTOMER_LINK.search(page.text)
        return Sent(
            status=response.status_code,
            reference=reference.group(1).strip() if reference else "",
            result_url=urlsplit(location).path,
            customer_link=urlsplit(link.group(1)).path if link else "",
        )


def expect_redirect(response: requests.Response) -> requests.Response:
    assert response.status_code == 302, (response.status_code, response.text[:2000])
    return response


def photo_set(seed: int) -> list[tuple[str, bytes]]:
    return [("package", make_jpeg(seed * 2)), ("item", make_jpeg(seed * 2 + 1))]


def submit_claim(args: tuple[str, int, bool]) -> dict:
    """A whole claim from a fresh session: answers, two photos, send (twice if asked).

    Runs in a worker process. A double submit sends the check page twice at
    the same moment from the same session, as a double click does.
    """
    base, n, double = args
    started = time.monotonic()
    client = ClaimClient(base)
    client.start(order_number=f"LOAD-{n:06d}")
    expect_redirect(client.upload(photo_set(n)))
    expect_redirect(client.choose_source())
    key = client.submission_key()
    if double:
        responses: list = [None, None]

        def send(i):
            responses[i] = client.send(key)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        locations = {r.headers.get("Location") for r in responses}
        statuses = [r.status_code for r in responses]
        response = responses[0]
    else:
        response = client.send(key)
        locations = {response.headers.get("Location")}
        statuses = [response.status_code]
    sent = client.result(response)
    return {
        "n": n,
        "statuses": statuses,
        "locations": sorted(str(x) for x in locations),
        "reference": sent.reference,
        "seconds": time.monotonic() - started,
    }


def slow_post(
    url: str, *, cookies: dict, fields: dict, files: list, pause, chunk: int = 4096
) -> tuple[int | None, bytes]:
    """POST multipart data over a raw socket, calling `pause()` half-way through the body.

    Returns (status or None when the server hung up, response bytes).
    """
    prepared = requests.Request("POST", url, data=fields, files=files, cookies=cookies).prepare()
    body = prepared.body if isinstance(prepared.body, bytes) else prepared.body.encode()
    parts = urlsplit(url)
    head = [
        f"POST {parts.path} HTTP/1.1",
        f"Host: {parts.hostname}:{parts.port}",
        "Connection: close",
    ]
    head += [f"{k}: {v}" for k, v in prepared.headers.items() if k.lower() != "connection"]
    head.append(f"Referer: {url}")
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        half = len(body) // 2
        sock.sendall(body[:half])
        time.sleep(0.3)
        pause()
        try:
            for i in range(half, len(body), chunk):
                sock.sendall(body[i : i + chunk])
        except OSError:
            pass
        data = b""
        try:
            while True:
                piece = sock.recv(65536)
                if not piece:
                    break
                data += piece
        except OSError:
            pass
    finally:
        sock.close()
    if not data.startswith(b"HTTP/"):
        return None, data
    return int(data.split(b" ", 2)[1]), data
