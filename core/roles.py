"""Staff roles as Django groups, with least privilege, declared as data.

The groups are created by a data migration (`core/migrations/0002_staff_groups.py`);
their permissions are (re)synchronised after every `migrate` from `ROLE_PERMISSIONS`
below, because a model's permissions only exist once its app has migrated (apps land one
by one, and new models get their group rights without a new migration). Manual changes
to these three groups in the admin are overwritten at the next deployment: change the
table instead. Other groups are left alone.

A staff member needs `is_staff` (to open the admin) **and** a group. Superusers are
reserved for the few technical administrators.

Patterns are `app_label.codename` with shell wildcards: `courses.*` is every permission
of the courses app, `trainees.view_*` every view permission there.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.utils.translation import gettext_lazy as _

TRAINING_STAFF = "Training staff"
PLACEMENT_OFFICER = "Placement officer"
ADMINISTRATOR = "Administrator"

# The permission that unmasks NIKs and opens identity documents.
PERSONAL_DATA_PERMISSION = "core.view_personal_data"

ROLE_LABELS = {
    TRAINING_STAFF: _("Training staff"),
    PLACEMENT_OFFICER: _("Placement officer"),
    ADMINISTRATOR: _("Administrator"),
}

# (allow patterns, deny patterns); deny wins.
ROLE_PERMISSIONS: dict[str, tuple[list[str], list[str]]] = {
    # Run tracks, programs and cohorts; verify applicants' documents (so: full NIK and
    # documents); never delete a person's records, never manage accounts or employers.
    TRAINING_STAFF: (
        [
            "courses.view_*",
            "courses.add_*",
            "courses.change_*",
            "trainees.view_*",
            "trainees.add_*",
            "trainees.change_*",
            "accounts.view_user",
            "notifications.view_*",
            "reports.view_*",
            # Plan intakes from what employers said they need (the demand summary).
            "placements.view_demandstatement",
            "placements.view_pledge",
            # BPJS cover, incidents, funding and allowances of the trainees they run;
            # the batch file for the branch (full NIKs: with the permission below).
            "welfare.view_*",
            "welfare.add_*",
            "welfare.change_*",
            "welfare.export_coverage",
            PERSONAL_DATA_PERMISSION,
        ],
        ["trainees.delete_*", "courses.delete_*", "welfare.delete_*"],
    ),
    # Verify employers, moderate vacancies, record placements; sees job seekers only as
    # applicants (masked NIK, no identity documents). No welfare rights: cover, incidents
    # (health data) and payee details are not theirs to see.
    PLACEMENT_OFFICER: (
        [
            "placements.view_*",
            "placements.add_*",
            "placements.change_*",
            "courses.view_*",
            "trainees.view_trainee",
            "accounts.view_user",
            "notifications.view_*",
            "reports.view_*",
        ],
        ["placements.delete_*"],
    ),
    # Everything staff can do, plus accounts, groups, lockouts and the audit trail.
    ADMINISTRATOR: (
        [
            "accounts.*",
            "auth.view_group",
            "axes.*",
            "core.*",
            "courses.*",
            "trainees.*",
            "placements.*",
            "notifications.*",
            "reports.*",
            "welfare.*",
        ],
        [],
    ),
}


def _matches(label: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(label, pattern) for pattern in patterns)


def role_permission_ids(permission_model, role: str) -> list[int]:
    """Primary keys of the permissions a role grants (works with historical models)."""
    allow, deny = ROLE_PERMISSIONS[role]
    rows = permission_model.objects.values_list("pk", "content_type__app_label", "codename")
    return [
        pk
        for pk, app_label, codename in rows
        if _matches(f"{app_label}.{codename}", allow)
        and not _matches(f"{app_label}.{codename}", deny)
    ]


def roles_sync(group_model=None, permission_model=None) -> None:
    """Create the three staff groups if missing and set exactly their permissions."""
    if group_model is None or permission_model is None:
        from django.contrib.auth.models import Group, Permission

        group_model, permission_model = Group, Permission
    for role in ROLE_PERMISSIONS:
        group, _created = group_model.objects.get_or_create(name=role)
        group.permissions.set(role_permission_ids(permission_model, role))


def sync_roles_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate receiver: once the last app has migrated, bring the groups up to date.

    Permissions are created by a post_migrate receiver per app, so only at the last app
    do they all exist.
    """
    from django.apps import apps as global_apps

    with_models = [a for a in global_apps.get_app_configs() if a.models_module is not None]
    if not with_models or sender.label != with_models[-1].label:
        return
    roles_sync()
