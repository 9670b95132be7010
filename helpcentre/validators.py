"""Validators for text people type into the public forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters other than tab and line breaks, and the Unicode bidi
# embeddings, overrides and isolates: invisible, nobody types them, and in a
# name or note shown to staff they can make text read backwards
# ("photo\u202egpj.exe" displays as "photoexe.jpg").
_HIDDEN_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def no_hidden_controls(value: str) -> None:
    if isinstance(value, str) and _HIDDEN_CONTROLS.search(value):
        raise ValidationError(
            _(
                "This contains invisible control characters (often from copying and pasting). "
                "Type it again without them."
            ),
            code="hidden_controls",
        )


def guard_text_fields(form) -> None:
    """Add `no_hidden_controls` to every text field of a form instance."""
    from django import forms

    for field in form.fields.values():
        if isinstance(field, forms.CharField) and no_hidden_controls not in field.validators:
            field.validators.append(no_hidden_controls)
