"""Figures: uploaded inline on the article, listed on their own too."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from helpcentre.models import ArticleImage


class ArticleImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 1
    fields = ["image", "alt_text", "thumbnail", "markdown_to_paste"]
    readonly_fields = ["thumbnail", "markdown_to_paste"]
    verbose_name = _("figure")
    verbose_name_plural = _(
        "figures (upload, save, then paste the Markdown shown into the body where the figure goes)"
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A tabular inline shows its labels as column headings, which are not
        # labels to a screen reader (axe: "Form elements must have labels").
        if field is not None and db_field.name in {"image", "alt_text"}:
            field.widget.attrs["aria-label"] = str(db_field.verbose_name).capitalize()
        return field

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" class="helpcentre-thumb" width="120">',
            obj.image.url,
            obj.alt_text,
        )

    @admin.display(description=_("Markdown to paste"))
    def markdown_to_paste(self, obj):
        return (
            format_html("<code>{}</code>", obj.markdown_snippet)
            if obj.pk
            else _("shown after saving")
        )


@admin.register(ArticleImage)
class ArticleImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "article", "markdown_to_paste", "uploaded_at"]
    list_select_related = ["article"]
    search_fields = ["alt_text", "article__title"]
    autocomplete_fields = ["article"]
    thumbnail = ArticleImageInline.thumbnail
    markdown_to_paste = ArticleImageInline.markdown_to_paste
