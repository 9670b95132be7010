"""The reply check's seeded rules, read more widely: lines added to the
patterns and "safe when" of the rules 0007 seeded.

A rule an admin has edited since (its patterns or "safe when" no longer the
seeded text) keeps the admin's text; reversing restores the 0007 text only
where the text is still exactly what this migration wrote.
"""

import importlib

from django.db import migrations

# code -> lines added to the rule's patterns / "safe when".
ADDED_PATTERNS: dict[str, str] = {}
ADDED_SAFE_WHEN: dict[str, str] = {}


def _seeded():
    """code -> (patterns, safe when) as 0007 stored them."""
    seed = importlib.import_module("claims.migrations.0007_seed_reply")
    return {row[0]: (row[5].strip(), row[6].strip()) for row in seed.RULES}


def _joined(text, added):
    added = added.strip()
    return f"{text}\n{added}" if added and text else (text or added)


def _updated(code, patterns, safe_when):
    return (
        _joined(patterns, ADDED_PATTERNS.get(code, "")),
        _joined(safe_when, ADDED_SAFE_WHEN.get(code, "")),
    )


def updated_rules(rules):
    """0007's RULES rows with this migration's lines added (for the bench and tests)."""
    return [
        (*row[:5], *_updated(row[0], row[5].strip(), row[6].strip()), *row[7:]) for row in rules
    ]


def forward(apps, schema_editor):
    ReplyCheckRule = apps.get_model("claims", "ReplyCheckRule")
    for code, (patterns, safe_when) in _seeded().items():
        new_patterns, new_safe_when = _updated(code, patterns, safe_when)
        ReplyCheckRule.objects.filter(code=code, patterns=patterns).update(patterns=new_patterns)
        ReplyCheckRule.objects.filter(code=code, safe_when=safe_when).update(
            safe_when=new_safe_when
        )


def backward(apps, schema_editor):
    ReplyCheckRule = apps.get_model("claims", "ReplyCheckRule")
    for code, (patterns, safe_when) in _seeded().items():
        new_patterns, new_safe_when = _updated(code, patterns, safe_when)
        ReplyCheckRule.objects.filter(code=code, patterns=new_patterns).update(patterns=patterns)
        ReplyCheckRule.objects.filter(code=code, safe_when=new_safe_when).update(
            safe_when=safe_when
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_evidence_request")]

    operations = [migrations.RunPython(forward, backward)]
