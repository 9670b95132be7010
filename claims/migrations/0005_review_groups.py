"""The two staff groups, with exactly the permissions their work needs.

- "Editors" write the guide: help centre articles, categories, images and comments,
  and django-reversion's history to undo an edit. No claims: editors see articles only.
- "Claim reviewers" work claims: view and change claims (change is what lets the admin
  open a claim page; every field a reviewer could change is read-only there, and status
  moves go through `claims.review_claim`), view the evidence photos, the customer notes,
  the transitions and escalations, and the dashboard. They also view and change the
  guidance rows (what the result page tells a seller): reviewers are the ones who see
  that guidance meet real claims, and editors are kept to the articles as the issue asks.
  Adding or deleting guidance rows stays with superusers: it changes which case gets
  which advice, not just the wording.

Nobody else sees evidence: staff outside "Claim reviewers" have no claim permission.
`sync_groups` is also what the tests call after a live-server test empties the tables.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CLAIM_REVIEWERS = "Claim reviewers"

GROUPS = {
    EDITORS: {
        "helpcentre": [
            f"{verb}_{model}"
            for model in ("article", "category", "articleimage", "comment")
            for verb in ("add", "change", "delete", "view")
        ],
        "reversion": ["view_revision", "view_version"],
    },
    CLAIM_REVIEWERS: {
        "claims": [
            "view_claim",
            "change_claim",
            "review_claim",
            "view_dashboard",
            "view_evidencephoto",
            "view_customernote",
            "view_claimtransition",
            "view_escalation",
            *(
                f"{verb}_{model}"
                for model in (
                    "responsetemplate",
                    "guidancewarning",
                    "reviewstep",
                    "evidencerequirement",
                    "outcomefactorrow",
                )
                for verb in ("view", "change")
            ),
        ],
        "reversion": ["view_revision", "view_version"],
    },
}


def sync_groups(apps, schema_editor=None):
    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, codenames in by_app.items():
            found = list(
                Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
            missing = set(codenames) - {p.codename for p in found}
            if missing:
                raise RuntimeError(f"{name}: permissions not found: {sorted(missing)}")
            wanted += found
        group.permissions.set(wanted)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUPS)).delete()


def backfill_response_due(apps, schema_editor):
    """Claims filed before this migration get their response date as the service sets it."""
    from django.conf import settings
    from django.utils import timezone

    from claims.deadlines import response_due

    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.filter(response_due_at__isnull=True).iterator():
        claim.response_due_at = response_due(
            timezone.localtime(claim.created_at),
            is_international=claim.destination == "international",
            days=settings.CLAIM_RESPONSE_DAYS,
            international_days=settings.CLAIM_RESPONSE_DAYS_INTERNATIONAL,
        )
        claim.save(update_fields=["response_due_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("helpcentre", "0002_seed_guide"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("claims", "0004_review"),
    ]

    operations = [
        migrations.RunPython(sync_groups, remove_groups),
        migrations.RunPython(backfill_response_due, migrations.RunPython.noop),
    ]
