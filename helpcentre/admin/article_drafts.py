"""Drafts of published articles: an edit kept aside until it is published,
so the live page keeps the published text meanwhile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpcentre import services
from helpcentre.models import Article

DRAFT_BUTTON = "_save_draft"
DISCARD_DRAFT_BUTTON = "_discard_draft"


class ArticleDraftMixin:
    """The article admin's save path, with "Save as draft" and "Discard draft"."""

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        # A published article with an edit kept aside opens on the edit.
        if article is not None and request.method == "GET":
            article.has_draft = services.article_draft_apply(article)
        return article

    def save_model(self, request, obj, form, change):
        if DRAFT_BUTTON in request.POST and change and obj.status == Article.Status.PUBLISHED:
            services.article_draft_save(article=obj, data=form.cleaned_data, user=request.user)
            obj.kept_as_draft = True
            return
        super().save_model(request, obj, form, change)
        if not change:
            services.search_words_add(article_ids=[obj.pk])  # a new article's words too
        if change:
            closed = services.article_edited(article=obj)
            if closed:
                self.message_user(
                    request,
                    ngettext(
                        "%d follow-up closed: the article was edited.",
                        "%d follow-ups closed: the article was edited.",
                        closed,
                    )
                    % closed,
                    messages.INFO,
                )

    def save_related(self, request, form, formsets, change):
        if getattr(form.instance, "kept_as_draft", False):
            # Nothing of a kept-aside edit reaches the live article; the change
            # message (built from the formsets afterwards) records no figure change.
            for formset in formsets:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        if getattr(obj, "kept_as_draft", False):
            self.message_user(
                request,
                _(
                    "Draft saved. The live page still shows the published text; "
                    "press Save to publish the draft."
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and DISCARD_DRAFT_BUTTON in request.POST and object_id:
            article = get_object_or_404(Article, pk=object_id)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            services.article_draft_discard(article=article)
            self.message_user(request, _("Draft discarded."), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        extra_context = {
            **(extra_context or {}),
            "draft_button": DRAFT_BUTTON,
            "discard_draft_button": DISCARD_DRAFT_BUTTON,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)
