"""Reader forms: the comment form (with spam protection) and the helpful vote."""

import time
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from helpcentre.validators import guard_text_fields

# A person needs a few seconds to write a comment; a bot posts at once.
MIN_SECONDS = 3
MAX_AGE_SECONDS = 24 * 60 * 60
_SALT = "helpcentre.comment-form"


def form_timestamp() -> str:
    """A signed "the form was shown at" stamp, checked when the form comes back."""
    return _stamp_for(int(time.time()), settings.SECRET_KEY)


@lru_cache(maxsize=2)
def _stamp_for(second: int, secret: str) -> str:
    # The same second gives the same stamp: signed once, not on every page
    # view (37 µs of the cached article page's time). The secret is part of
    # the key so a rotated key never serves an old signature.
    return signing.dumps(second, salt=_SALT)


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Your email address will not be published."),
    )
    body = forms.CharField(
        label=_("Comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    # Spam protection without a third party: a field people never see
    # (bots fill it in) and a signed time the form was shown.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # The signed time comes back as "shown_at", rendered fresh by the page
    # (see form_timestamp), so a redisplayed form gets a new one.

    error_messages = {
        "honeypot": _(
            "Your comment looks automated, so it was not sent. If you are a person, "
            "leave the last, hidden field empty and send it again; your text is kept below."
        ),
        "too_fast": _(
            "That was quick! To keep out spam, please wait a few seconds and send your "
            "comment again; your text is kept below."
        ),
        "expired": _("This page was open a long time. Please send your comment again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(self.error_messages["honeypot"], code="honeypot")
        try:
            shown_at = signing.loads(
                self.data.get("shown_at", ""), salt=_SALT, max_age=MAX_AGE_SECONDS
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(self.error_messages["expired"], code="expired") from None
        except signing.BadSignature:
            raise forms.ValidationError(self.error_messages["honeypot"], code="honeypot") from None
        min_seconds = getattr(settings, "HELPCENTRE_COMMENT_MIN_SECONDS", MIN_SECONDS)
        if time.time() - shown_at < min_seconds:
            raise forms.ValidationError(self.error_messages["too_fast"], code="too_fast")
        return cleaned


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    reason = forms.CharField(
        label=_("What was missing or unclear? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
