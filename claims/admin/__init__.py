"""Admin for claims (reviewers) and for the guidance rows (editors)."""

from . import claim, guidance  # noqa: F401
