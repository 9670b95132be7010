"""Admin for the guidance rows."""
