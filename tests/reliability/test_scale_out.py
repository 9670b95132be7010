"""Two app servers sharing PostgreSQL, Redis and S3: nothing is tied to one process or disk."""

import re
from html import escape
from html.parser import HTMLParser

import requests

from tests.reliability import stack
from tests.reliability.client import ClaimClient, expect_redirect, photo_set

GUIDE_SLUG = "what-to-do-if-a-customer-reports-a-missing-or-damaged-item"
GUIDE = f"/articles/{GUIDE_SLUG}/"
DRAFT_PHOTO = re.compile(r"/claim/draft-photos/([0-9a-f]{32})/thumb\.jpg")


def test_a_claim_started_on_one_server_is_finished_on_the_other(servers, stack_env, moto):
    a = servers.app(stack_env, name="app-a")
    b = servers.app(stack_env, name="app-b")
    before = set(moto.keys("claim-drafts/"))
    client = ClaimClient(a.url)

    client.start(order_number="SCALE-000001")
    expect_redirect(client.upload(photo_set(70)))
    drafts = set(moto.keys("claim-drafts/")) - before
    # The draft photos went to the shared S3 bucket, not to server A's disk.
    assert len(drafts) == 4

    client.base = b.url
    page = client.get("/claim/photos/")
    assert page.status_code == 200
    shown = DRAFT_PHOTO.findall(page.text)
    assert len(set(shown)) == 2
    thumbnail = client.get(f"/claim/draft-photos/{shown[0]}/thumb.jpg")
    assert thumbnail.status_code == 200
    assert thumbnail.headers["Content-Type"] == "image/jpeg"
    expect_redirect(client.choose_source())
    response = client.send(client.submission_key())
    assert response.status_code == 302
    sent = client.result(response)

    assert sent.reference
    stored = stack.django_json(
        stack_env,
        """
        from claims.models import Claim
        from claims.storage import evidence_storage
        claim = Claim.objects.get(order_number="SCALE-000001")
        names = [n for p in claim.photos.all() for n in (p.image_name, p.thumbnail_name)]
        stored = sum(evidence_storage().exists(n) for n in names)
        result = {"photos": claim.photos.count(), "stored": stored}
        """,
    )
    assert stored == {"photos": 2, "stored": 4}
    assert set(moto.keys("claim-drafts/")) & drafts == set()
    # And the result page works on the first server too.
    client.base = a.url
    assert client.get(sent.result_url).status_code == 200


def test_nginx_spreads_a_claim_over_both_servers_and_it_still_completes(servers, stack_env):
    logs = {}
    upstreams = []
    for name in ("app-a", "app-b"):
        log = stack.ROOT / "test-artifacts" / "reliability" / f"{name}-access.log"
        log.unlink(missing_ok=True)
        env = {**stack_env, "GUNICORN_ACCESS_LOG": str(log)}
        server = servers.app(env, workers=1, name=name)
        logs[name] = log
        upstreams.append(f"127.0.0.1:{server.port}")
    proxy = servers.nginx(upstreams)
    client = ClaimClient(proxy.url)

    client.start(order_number="SCALE-000002")
    expect_redirect(client.upload(photo_set(71)))
    expect_redirect(client.choose_source())
    response = client.send(client.submission_key())

    assert response.status_code == 302
    assert client.result(response).reference
    served = {name: log.read_text().count("/claim/") for name, log in logs.items()}
    assert all(count >= 2 for count in served.values()), served


class FormFields(HTMLParser):
    """The fields of one <form id=...> as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def admin_edit(session, base, path, form_id, changes):
    page = session.get(base + path, timeout=30)
    assert page.status_code == 200, page.status_code
    parser = FormFields(form_id)
    parser.feed(page.text)
    fields = [(k, v) for k, v in parser.fields if k not in changes]
    fields += list(changes.items()) + [("_save", "Save")]
    response = session.post(
        base + path,
        data=fields,
        allow_redirects=False,
        timeout=30,
        headers={"Referer": base + path},
    )
    assert response.status_code == 302, response.text[:3000]


def nav_name(name):
    """A category's name as the cached category list shows it on the home page."""
    return f'<span class="category-block__name">{escape(name)}</span>'


def test_an_admin_edit_shows_on_both_servers_at_once(servers, stack_env):
    a = servers.app(stack_env, name="app-a")
    b = servers.app(stack_env, name="app-b")
    env = {**stack_env, "DJANGO_SUPERUSER_PASSWORD": "a-long-editor-password-1"}
    stack.manage(
        env, "createsuperuser", "--noinput", "--username", "scale-editor", "--email", "e@x.example"
    )
    ids = stack.django_json(
        stack_env,
        f"""
        from helpcentre.models import Article
        article = Article.objects.get(slug={GUIDE_SLUG!r})
        result = {{"article": article.pk, "category": article.category_id,
                   "category_name": article.category.name}}
        """,
    )
    # Both servers have shown (and cached) the guide and the category list.
    for server in (a, b):
        assert requests.get(server.url + GUIDE, timeout=30).status_code == 200
        assert nav_name(ids["category_name"]) in requests.get(server.url + "/", timeout=30).text

    editor = requests.Session()
    editor.get(a.url + "/admin/login/", timeout=30)
    login = editor.post(
        a.url + "/admin/login/?next=/admin/",
        data={
            "username": "scale-editor",
            "password": "a-long-editor-password-1",
            "csrfmiddlewaretoken": editor.cookies["csrftoken"],
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302
    admin_edit(
        editor,
        a.url,
        f"/admin/helpcentre/article/{ids['article']}/change/",
        "article_form",
        {"title": "What to do if a customer reports a missing or damaged item (updated)"},
    )
    admin_edit(
        editor,
        a.url,
        f"/admin/helpcentre/category/{ids['category']}/change/",
        "category_form",
        {"name": "Orders and claims, renamed"},
    )

    for server in (b, a):
        assert "(updated)" in requests.get(server.url + GUIDE, timeout=30).text
        # The category list comes from the cache: Redis, dropped by server A's save.
        home = requests.get(server.url + "/", timeout=30).text
        assert nav_name("Orders and claims, renamed") in home
        assert nav_name(ids["category_name"]) not in home
