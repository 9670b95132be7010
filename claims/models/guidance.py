"""Guidance rows that admins edit: response templates, warnings, review steps,
evidence requirements, each with the conditions it applies to."""

__all__: list[str] = []
