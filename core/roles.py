"""Staff roles as Django groups, with least privilege, declared as data.

Two kinds of role live here. Staff groups (training staff, placement officer,
administrator) work in the admin. An account role whose people never open the admin has
a group too, joined by every account of that role (`ACCOUNT_ROLE_GROUPS`): the trainer,
whose phone page needs the attendance permissions below.

The groups are created by a data migration (`core/migrations/0002_staff_groups.py`);
their permissions are (re)synchronised after every `migrate` from `ROLE_PERMISSIONS`
below, because a model's permissions only exist once its app has migrated (apps land one
by one, and new models get their group rights without a new migration). Manual changes
to these groups in the admin are overwritten at the next deployment: change the
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
TRAINER = "Trainer"

# The group each account of a role belongs to (accounts.User.Role values): kept true by
# `account_groups_sync` when an account is made or its role changes, and for every
# account after each migrate.
ACCOUNT_ROLE_GROUPS = {"trainer": TRAINER}

# What the trainer's phone page needs (with the intake assigned to them).
TRAINER_ATTENDANCE_PERMISSION = "courses.change_attendance"

# The permission that unmasks NIKs and opens identity documents.
PERSONAL_DATA_PERMISSION = "core.view_personal_data"

ROLE_LABELS = {
    TRAINING_STAFF: _("Training staff"),
    PLACEMENT_OFFICER: _("Placement officer"),
    ADMINISTRATOR: _("Administrator"),
    TRAINER: _("Trainer"),
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
    # (health data) and payee details are not theirs to see. Sees the licences bound to
    # employers but never makes or edits a binding: the employer records its licences.
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
        [
            "placements.delete_*",
            "placements.add_employerlicence",
            "placements.change_employerlicence",
        ],
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
    # An instructor (account role trainer, no admin access): sees the intakes assigned to
    # them and their training days, and records today's attendance there. No personal
    # data beyond the roster's names, no scores, no results, no certificates.
    TRAINER: (
        [
            "courses.view_cohort",
            "courses.view_trainingday",
            "courses.view_attendance",
            "courses.add_attendance",
            TRAINER_ATTENDANCE_PERMISSION,
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
    """Create the role groups if missing and set exactly their permissions."""
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
    account_role_members_sync()


def account_groups_sync(user) -> None:
    """Put `user` in the group of their account role and out of the other roles' groups.

    Called where an account is made or its role changes (sign-ups, the admin, the demo);
    staff groups are left alone (they are given by hand).
    """
    from django.contrib.auth.models import Group

    wanted = ACCOUNT_ROLE_GROUPS.get(user.role)
    others = [g for g in ACCOUNT_ROLE_GROUPS.values() if g != wanted]
    if others:
        user.groups.remove(*Group.objects.filter(name__in=others))
    if wanted:
        user.groups.add(Group.objects.get_or_create(name=wanted)[0])
    # The permission cache would still answer for the old groups.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def account_role_members_sync() -> None:
    """Every account of a role with a group in it, nobody else (after each migrate)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    for role, name in ACCOUNT_ROLE_GROUPS.items():
        group = Group.objects.get(name=name)
        group.user_set.set(user_model.objects.filter(role=role))
