"""Admin for claims and their evidence."""
