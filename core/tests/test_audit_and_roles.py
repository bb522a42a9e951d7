import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import User
from core.audit import audit_list_for_subject, audit_record
from core.models import AuditEvent
from core.roles import (
    ADMINISTRATOR,
    PERSONAL_DATA_PERMISSION,
    PLACEMENT_OFFICER,
    ROLE_PERMISSIONS,
    TRAINER,
    TRAINER_ATTENDANCE_PERMISSION,
    TRAINING_STAFF,
    account_groups_sync,
    account_role_members_sync,
    roles_sync,
)

pytestmark = pytest.mark.django_db


def _staff(email, group=None, **extra):
    user = User.objects.create_user(email, None, role=User.Role.STAFF, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def test_audit_record_names_the_subject_by_type_and_id_only(rf):
    staff = _staff("staf@example.com")
    person = User.objects.create_user("dewi@example.com", None, full_name="Dewi Lestari")
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    event = audit_record(
        actor=staff,
        action=AuditEvent.Action.PERSONAL_DATA_VIEW,
        subject=person,
        detail={"screen": "admin"},
        request=request,
    )
    assert (event.actor, event.actor_label) == (staff, "staf@example.com")
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(person.pk))
    assert event.ip_address == "203.0.113.9"
    assert "Dewi" not in str(event)
    assert list(audit_list_for_subject(person)) == [event]


def test_audit_record_refuses_unknown_actions():
    with pytest.raises(ValueError, match="AuditEvent.Action"):
        audit_record(actor=None, action="something.else")


def test_audit_admin_is_read_only_even_for_superusers(admin_client):
    event = audit_record(actor=None, action=AuditEvent.Action.EXPORT, detail={"rows": 3})
    assert admin_client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    response = admin_client.post(reverse("admin:core_auditevent_delete", args=[event.pk]))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_migrations_created_the_staff_groups_and_the_trainer_group():
    names = set(Group.objects.values_list("name", flat=True))
    assert {TRAINING_STAFF, PLACEMENT_OFFICER, ADMINISTRATOR, TRAINER} <= names


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_the_trainer_group_records_attendance_and_sees_nothing_personal():
    trainer = User.objects.create_user("pelatih@example.com", None, role=User.Role.TRAINER)
    account_groups_sync(trainer)
    trainer = _fresh(trainer)
    assert list(trainer.groups.values_list("name", flat=True)) == [TRAINER]
    assert trainer.has_perm(TRAINER_ATTENDANCE_PERMISSION)
    assert trainer.has_perm("courses.view_cohort")
    for refused in (
        PERSONAL_DATA_PERMISSION,
        "courses.change_application",
        "courses.view_application",
        "courses.change_unitresult",
        "courses.add_certificate",
        "trainees.view_trainee",
        "trainees.view_document",
        "accounts.view_user",
    ):
        assert not trainer.has_perm(refused), refused
    assert not trainer.is_staff


def test_account_groups_follow_the_role_and_leave_staff_groups_alone():
    user = _staff("pindah@example.com", TRAINING_STAFF)
    user.role = User.Role.TRAINER
    account_groups_sync(user)
    assert set(_fresh(user).groups.values_list("name", flat=True)) == {TRAINING_STAFF, TRAINER}
    user.role = User.Role.STAFF
    account_groups_sync(user)
    assert set(_fresh(user).groups.values_list("name", flat=True)) == {TRAINING_STAFF}


def test_after_migrate_every_trainer_account_is_in_the_trainer_group():
    old = User.objects.create_user("lama@example.com", None, role=User.Role.TRAINER)
    seeker = User.objects.create_user("pencari@example.com", None)
    seeker.groups.add(Group.objects.get(name=TRAINER))  # by mistake
    account_role_members_sync()
    members = set(Group.objects.get(name=TRAINER).user_set.all())
    assert old in members and seeker not in members


def test_personal_data_permission_is_not_given_to_every_staff_member():
    officer = _staff("penempatan@example.com", PLACEMENT_OFFICER)
    trainer = _staff("pelatihan@example.com", TRAINING_STAFF)
    admin = _staff("admin@example.com", ADMINISTRATOR)
    bare = _staff("baru@example.com")
    assert not officer.has_perm(PERSONAL_DATA_PERMISSION)
    assert not bare.has_perm(PERSONAL_DATA_PERMISSION)
    assert trainer.has_perm(PERSONAL_DATA_PERMISSION)
    assert admin.has_perm(PERSONAL_DATA_PERMISSION)


def test_least_privilege_between_roles():
    officer = _staff("penempatan@example.com", PLACEMENT_OFFICER)
    trainer = _staff("pelatihan@example.com", TRAINING_STAFF)
    admin = _staff("admin@example.com", ADMINISTRATOR)
    # Only administrators manage accounts and read the audit trail.
    for user in (officer, trainer):
        assert not user.has_perm("accounts.change_user")
        assert not user.has_perm("core.view_auditevent")
        assert user.has_perm("accounts.view_user")
    assert admin.has_perm("accounts.change_user")
    assert admin.has_perm("core.view_auditevent")
    assert admin.has_perm("axes.delete_accessattempt")
    # Nobody may write the audit trail, not even administrators.
    assert not Permission.objects.filter(
        content_type__app_label="core", codename__in=["add_auditevent", "change_auditevent"]
    ).exists()


def test_staff_see_the_licences_bound_to_employers_but_never_write_a_binding():
    officer = _staff("penempatan@example.com", PLACEMENT_OFFICER)
    trainer = _staff("pelatihan@example.com", TRAINING_STAFF)
    admin = _staff("admin@example.com", ADMINISTRATOR)
    assert officer.has_perm("placements.view_employerlicence")
    assert admin.has_perm("placements.view_employerlicence")
    for verb in ("add", "change", "delete"):
        assert not officer.has_perm(f"placements.{verb}_employerlicence")
    # The rest of the placement officer's placements rights stay.
    assert officer.has_perm("placements.change_placement")
    # Training staff do not see employers.
    assert not trainer.has_perm("placements.view_employerlicence")


def test_roles_sync_restores_the_declared_permissions_and_is_idempotent():
    group = Group.objects.get(name=PLACEMENT_OFFICER)
    group.permissions.add(Permission.objects.get(codename="view_personal_data"))
    roles_sync()
    roles_sync()
    assert not group.permissions.filter(codename="view_personal_data").exists()
    assert group.permissions.filter(codename="view_user").exists()


def test_every_role_pattern_matches_something_or_names_an_app_still_to_come():
    from fnmatch import fnmatchcase

    labels = [
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    ]
    future_apps = {"courses", "trainees", "placements", "notifications"}
    for allow, _deny in ROLE_PERMISSIONS.values():
        for pattern in allow:
            if pattern.split(".")[0] in future_apps:
                continue
            assert any(fnmatchcase(label, pattern) for label in labels), pattern
