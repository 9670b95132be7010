"""The guide's public pages. Thin: reads come from QuerySet methods and
category_nav(), writes go through services.

Each page issues a constant, small number of queries whatever the number of
articles (tests/helpcentre/test_queries.py holds them to it).
"""

import hashlib
import uuid
from functools import cached_property
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from helpcentre import page_cache, services
from helpcentre.canonical import canonical_url
from helpcentre.category_nav import category_nav
from helpcentre.client_ip import client_ip
from helpcentre.forms import CommentForm, VoteForm, form_timestamp
from helpcentre.models import Article, Category, Comment
from helpcentre.ratelimit import limit_per_ip
from helpcentre.search import MAX_QUERY_LENGTH, normalise_query
from helpcentre.tallies import tally

CATEGORY_PAGE_SIZE = 20
KEY_ARTICLES = 6
VISITOR_COOKIE = "hc_visitor"
VISITOR_SALT = "helpcentre.visitor"
VISITOR_MAX_AGE = 2 * 365 * 24 * 60 * 60


class GuideMixin:
    """What every guide page shares: the category list and its canonical URL."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("categories", category_nav())
        context.setdefault("canonical_url", canonical_url(self.request.path))
        return context


class SharedListingMixin:
    """A listing rendered once per version of the category list (page_cache):
    on a hit, one cache read and no query, no template."""

    def listing_key(self) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        response, _ = page_cache.listing_response(
            request, self.listing_key(), render=lambda: super(SharedListingMixin, self).get(
                request, *args, **kwargs
            )
        )  # fmt: skip
        return response


class HomeView(SharedListingMixin, GuideMixin, TemplateView):
    template_name = "helpcentre/home.html"

    def listing_key(self) -> str:
        return page_cache.listing_key("home", get_language())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hide_header_search"] = True
        context["key_articles"] = list(
            Article.objects.published()
            .select_related("category")
            .only("title", "slug", "summary", "reading_minutes", "category__name")
            .order_by("-is_key", "order", "title")[:KEY_ARTICLES]
        )
        return context


class _KnownCountPaginator(Paginator):
    """A paginator told the count (already fetched with the category)."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


class CategoryView(SharedListingMixin, GuideMixin, TemplateView):
    template_name = "helpcentre/category.html"

    def listing_key(self) -> str:
        # A page number as asked for: get_page() turns anything else into a
        # real page, and the few odd values people type are cached as such,
        # quoted so that no control character or space reaches a cache key.
        asked = quote(self.request.GET.get("page", "")[:12], safe="")
        return page_cache.listing_key("category", self.kwargs["slug"], asked, get_language())

    def get_context_data(self, **kwargs):
        now = timezone.now()
        published = Q(articles__status=Article.Status.PUBLISHED, articles__published_at__lte=now)
        category = get_object_or_404(
            Category.objects.annotate(article_count=Count("articles", filter=published)),
            slug=self.kwargs["slug"],
        )
        articles = (
            category.articles.published()
            .only("title", "slug", "summary", "reading_minutes", "updated_at", "category_id")
            .order_by("order", "title")
        )
        paginator = _KnownCountPaginator(articles, CATEGORY_PAGE_SIZE, count=category.article_count)
        page = paginator.get_page(self.request.GET.get("page"))
        context = super().get_context_data(**kwargs)
        context.update(category=category, page_obj=page, articles=page.object_list)
        if page.number > 1:
            context["canonical_url"] = canonical_url(f"{self.request.path}?page={page.number}")
        return context


def _article_or_404(slug: str) -> Article:
    return get_object_or_404(Article.objects.published().select_related("category"), slug=slug)


def article_context(
    request, article: Article, *, comment_form=None, preview=False, related=None
) -> dict:
    """Everything the article page shows; shared by the public page and the admin
    preview (which passes the related articles of an unsaved edit)."""
    related = list(
        (article.related.all() if related is None else related)
        .published()
        .select_related("category")
        .only("title", "slug", "summary", "category__name")
        .order_by("order", "title")
    )
    comments = (
        list(
            article.comments.filter(status=Comment.Status.APPROVED).only(
                "name", "body", "created_at"
            )
        )
        if article.pk
        else []  # an unsaved new article's preview
    )
    total = article.helpful_total
    # The claim call-out goes after the introduction, before the first section.
    split = article.body_html.find("<h2")
    split = len(article.body_html) if split < 0 else split
    return {
        "intro_html": article.body_html[:split],
        "rest_html": article.body_html[split:],
        "article": article,
        "category": article.category,
        "related_articles": related,
        "comments": comments,
        "comment_form": comment_form or CommentForm(),
        "comment_stamp": form_timestamp(),
        "vote_form": VoteForm(),
        "helpful_total": total,
        "helpful_percent": round(100 * article.helpful_yes_count / total) if total else None,
        "show_claim_callout": article.category.claim_callout,
        "canonical_url": canonical_url(article.get_absolute_url()),
        "categories": category_nav(),
        "preview": preview,
    }


class ArticleView(View):
    template_name = "helpcentre/article.html"

    def get(self, request, slug):
        response = page_cache.article_response(
            request, slug, get_object=self.get_object, render=self.render_page
        )
        # Counted in memory (tallies.py): no write while the page is answered.
        tally.view(slug)
        if request.GET.get("q"):
            tally.click(request.GET["q"][:MAX_QUERY_LENGTH])  # a search result was followed
        return response

    def get_object(self) -> Article:
        # The Markdown source and search text are never shown: not fetched.
        return get_object_or_404(
            Article.objects.published().select_related("category").defer("body", "search_text"),
            slug=self.kwargs["slug"],
        )

    def render_page(self, article: Article, **overrides) -> str:
        context = {**article_context(self.request, article), **overrides}
        return render_to_string(self.template_name, context, request=self.request)


@method_decorator(limit_per_ip("comment"), name="dispatch")
class ArticleCommentView(View):
    """ "Leave a Reply": held for moderation; a rejected form comes back with its text."""

    def post(self, request, slug):
        article = _article_or_404(slug)
        form = CommentForm(request.POST)
        if not form.is_valid():
            context = article_context(request, article, comment_form=form)
            return render(request, ArticleView.template_name, context, status=400)
        comment = services.comment_create(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            ip=client_ip(request),
        )
        messages.success(
            request,
            _(
                "Thank you, %(name)s. Your comment is held for moderation and will appear "
                "here once it has been approved."
            )
            % {"name": comment.name},
        )
        return HttpResponseRedirect(article.get_absolute_url() + "#comments")


@method_decorator(limit_per_ip("vote"), name="dispatch")
class ArticleVoteView(View):
    """ "Was this article helpful?": counted once per visitor (a signed cookie)."""

    def post(self, request, slug):
        article = _article_or_404(slug)
        form = VoteForm(request.POST)
        target = article.get_absolute_url() + "#helpful"
        if not form.is_valid():
            # A missing or forged answer: the page again, with the reason, as a 400.
            messages.error(request, _("Choose Yes or No to tell us whether this article helped."))
            context = article_context(request, article)
            return render(request, ArticleView.template_name, context, status=400)
        visitor_id = request.get_signed_cookie(
            VISITOR_COOKIE, default=None, salt=VISITOR_SALT, max_age=VISITOR_MAX_AGE
        )
        new_visitor = not visitor_id
        visitor_id = visitor_id or uuid.uuid4().hex
        outcome = services.vote_cast(
            article=article,
            visitor_id=visitor_id,
            helpful=form.cleaned_data["helpful"],
            reason=form.cleaned_data["reason"],
        )
        if outcome.created:
            messages.success(request, _("Thanks for your feedback!"))
        else:
            messages.info(request, _("Thanks, we already have your answer for this article."))
        response = HttpResponseRedirect(target)
        if new_visitor:
            response.set_signed_cookie(
                VISITOR_COOKIE,
                visitor_id,
                salt=VISITOR_SALT,
                max_age=VISITOR_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def claim_from_article(request, slug):
    """The article's "Report a missing or damaged item": counted for the
    article (editors' dashboard), then the claim form."""
    tally.claim_started(slug[:200])
    return HttpResponseRedirect(reverse("claims:start"))


# Longer than any question; longer still is not a search (cut to MAX_QUERY_LENGTH below this).
REFUSED_QUERY_LENGTH = 1000


@method_decorator(limit_per_ip("search", methods=("GET",)), name="dispatch")
class SearchView(GuideMixin, TemplateView):
    """Search results, rendered once per query and category list (page_cache):
    a repeated search is one cache read, counted in memory (tallies.py)."""

    template_name = "helpcentre/search.html"

    def get(self, request, *args, **kwargs):
        raw = request.GET.get("q") or ""
        if len(raw) > REFUSED_QUERY_LENGTH:
            self.refused = _(
                "That search is too long. Use a few words, at most %(n)s characters."
            ) % {"n": MAX_QUERY_LENGTH}
            response = super().get(request, *args, **kwargs)
            response.status_code = 400
            return response
        self.refused = ""
        self.query = normalise_query(raw)
        if not self.query:
            return super().get(request, *args, **kwargs)
        digest = hashlib.sha256(self.query.encode()).hexdigest()[:32]
        response, found = page_cache.listing_response(
            request,
            page_cache.listing_key("search", digest, get_language()),
            render=lambda: super(SearchView, self).get(request, *args, **kwargs),
            extra=lambda response: len(response.context_data["results"]),
        )
        tally.search(self.query, found=bool(found))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = "" if self.refused else self.query
        context["query"] = query
        context["refused"] = self.refused
        context["hide_header_search"] = True
        context["results"] = Article.objects.search(query) if query else []
        context["canonical_url"] = canonical_url(self.request.path)
        return context


@never_cache
def healthz(request):
    """The trivial view: no queries, no templates."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def robots_txt(request):
    body = (
        # The claim form's first question may be indexed; its other steps and
        # the private claim links may not. Allow comes first for crawlers that
        # take the first matching rule rather than the longest.
        "User-agent: *\nDisallow: /admin/\n"
        f"Allow: {reverse('claims:step', kwargs={'step': 'what-happened'})}\n"
        f"Disallow: {reverse('claims:start')}\n"
        f"Sitemap: {canonical_url('/sitemap.xml')}\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def article_preview(request, article: Article, *, related=None) -> HttpResponse:
    """The article page exactly as the public sees it, drafts and unsaved edits
    included (staff only)."""
    if not request.user.is_staff:
        raise Http404
    context = article_context(request, article, preview=True, related=related)
    response = render(request, ArticleView.template_name, context)
    response.headers["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_store=True)
    return response
