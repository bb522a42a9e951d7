"""Payee saves from the admin go through the service; every change and verification
leaves a masked trail; the trainee hears when someone else changed their account."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from notifications.models import Notification
from welfare import services
from welfare.models import AllowancePayment, Payee

from .factories import BANK

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(staff_member):
    return staff_member(TRAINING_STAFF)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _change(payee):
    return reverse("admin:welfare_payee_change", args=[payee.pk])


def _trail(payee, action=AuditEvent.Action.PAYEE_CHANGE):
    return list(
        AuditEvent.objects.filter(
            action=action, subject_type="welfare.payee", subject_id=str(payee.pk)
        ).order_by("pk")
    )


def _entered_by_trainee(seat, **details):
    return services.payee_save(application=seat, actor=seat.trainee.user, **{**BANK, **details})


def test_the_admin_refuses_a_change_after_payment_with_the_error_shown(staff_client, seat):
    payee = _entered_by_trainee(seat)
    AllowancePayment.objects.create(application=seat, amount=50000, paid_on=timezone.localdate())
    response = staff_client.post(_change(payee), {**BANK, "account_number": "7654321"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Uang saku sudah dibayarkan ke rekening yang diberikan" in body
    assert 'value="7654321"' in body  # the staff's input is kept on the page
    assert response.context["adminform"].form.non_field_errors().as_data()[0].code == (
        "payee_already_paid"
    )
    payee.refresh_from_db()
    assert payee.account_number == "1234567" and payee.entered_by == seat.trainee.user
    assert len(_trail(payee)) == 1  # the trainee's entry only
    assert not Notification.objects.filter(kind="payee.changed").exists()


def test_the_admin_change_goes_through_the_service(staff_client, staff, seat):
    payee = _entered_by_trainee(seat)
    services.payee_verify(payee=payee, actor=staff)
    # The same details: nothing changes, the verification stays, no trail, no message.
    response = staff_client.post(_change(payee), BANK)
    assert response.status_code == 302
    payee.refresh_from_db()
    assert payee.is_verified and payee.entered_by == seat.trainee.user
    assert len(_trail(payee)) == 1
    # A new account: kept as the staff's entry, verification cleared.
    response = staff_client.post(_change(payee), {**BANK, "account_number": " 7654321 "})
    assert response.status_code == 302
    payee.refresh_from_db()
    assert payee.account_number == "7654321"  # stripped by the service
    assert payee.entered_by == staff and not payee.is_verified


def test_the_admin_add_goes_through_the_service(staff_client, staff, seat):
    response = staff_client.post(
        reverse("admin:welfare_payee_add"), {"application": seat.pk, **BANK}
    )
    assert response.status_code == 302
    payee = Payee.objects.get(application=seat)
    assert payee.entered_by == staff
    (event,) = _trail(payee)
    assert event.detail["created"] is True and event.detail["by"] == "staff"
    assert Notification.objects.filter(kind="payee.changed").count() == 1


def test_the_admin_refuses_an_add_after_payment(staff_client, seat):
    AllowancePayment.objects.create(application=seat, amount=50000, paid_on=timezone.localdate())
    response = staff_client.post(
        reverse("admin:welfare_payee_add"), {"application": seat.pk, **BANK}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Payee.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PAYEE_CHANGE).exists()


def test_the_trainees_save_leaves_a_masked_trail_and_no_message(client, seat):
    user = seat.trainee.user
    client.force_login(user)
    response = client.post(
        reverse("welfare:payee-edit", args=[seat.pk]),
        {**BANK, "account_number": "0012-01-000123-50-9"},
    )
    assert response.status_code == 302
    payee = Payee.objects.get(application=seat)
    (event,) = _trail(payee)
    assert event.actor == user and event.detail["by"] == "trainee"
    assert event.detail["created"] is True
    number = event.detail["changes"]["account_number"]
    assert number == {"from": "", "to": "•••••••••••3509"}
    assert event.detail["changes"]["account_name"] == {"changed": True}
    assert "001201000123509" not in str(event.detail) and "Siti" not in str(event.detail)
    assert event.ip_address is not None
    # The same details again: no second row.
    client.post(
        reverse("welfare:payee-edit", args=[seat.pk]),
        {**BANK, "account_number": "0012-01-000123-50-9"},
    )
    assert len(_trail(payee)) == 1
    assert not Notification.objects.filter(kind="payee.changed").exists()


def test_a_staff_change_leaves_a_masked_trail_and_tells_the_trainee(staff_client, staff, seat):
    payee = _entered_by_trainee(seat)
    response = staff_client.post(
        _change(payee), {**BANK, "provider": "BNI", "account_number": "9876543210"}
    )
    assert response.status_code == 302
    first, second = _trail(payee)
    assert first.detail["by"] == "trainee"
    assert second.actor == staff and second.actor_label == staff.email
    assert second.detail == {
        "by": "staff",
        "created": False,
        "changes": {
            "provider": {"from": "BRI", "to": "BNI"},
            "account_number": {"from": "•••4567", "to": "••••••3210"},
        },
    }
    assert "9876543210" not in str(second.detail) and "1234567" not in str(second.detail)
    message = Notification.objects.get(kind="payee.changed")
    trainee = seat.trainee.user
    assert message.recipient == trainee and message.language == trainee.language
    assert message.context["account_end"] == "3210"
    assert "9876543210" not in str(message.context)


def test_a_verification_leaves_a_masked_trail(staff_client, staff, seat):
    payee = _entered_by_trainee(seat)
    response = staff_client.post(
        reverse("admin:welfare_payee_changelist"),
        {"action": "verify", "_selected_action": [payee.pk]},
    )
    assert response.status_code == 302
    (event,) = _trail(payee, AuditEvent.Action.PAYEE_VERIFY)
    assert event.actor == staff
    assert event.detail == {"method": "bank", "provider": "BRI", "account_number": "•••4567"}
    # Verifying again changes nothing and writes nothing.
    services.payee_verify(payee=payee, actor=staff)
    assert len(_trail(payee, AuditEvent.Action.PAYEE_VERIFY)) == 1


def test_the_change_page_shows_the_history_masked(staff_client, staff, seat):
    payee = _entered_by_trainee(seat)
    services.payee_verify(payee=payee, actor=staff)
    services.payee_save(application=seat, actor=staff, **{**BANK, "account_number": "7654321"})
    body = staff_client.get(_change(payee)).content.decode()
    assert "•••4567 → •••4321" in body
    assert staff.email in body and seat.trainee.user.email in body
    assert "BRI •••4567" in body  # the verification of the earlier account


@pytest.fixture
def masked_client(staff_client_for):
    """Staff who may change payees but not see personal data."""
    return staff_client_for(
        PLACEMENT_OFFICER, permissions=["welfare.view_payee", "welfare.change_payee"]
    )


def test_staff_without_the_personal_data_permission_see_only_masked_data(masked_client, seat):
    payee = _entered_by_trainee(seat)
    services.payee_save(
        application=seat, actor=seat.trainee.user, **{**BANK, "account_number": "7654321"}
    )
    body = masked_client.get(reverse("admin:welfare_payee_changelist")).content.decode()
    assert "•••4321" in body and "7654321" not in body
    page = masked_client.get(_change(payee))
    assert page.status_code == 200
    body = page.content.decode()
    assert "•••4321" in body and "•••4567 → •••4321" in body
    assert "7654321" not in body and "1234567" not in body
    assert 'name="account_number"' not in body
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()
    # Their save changes what they see and keeps the number they cannot see.
    response = masked_client.post(
        _change(payee), {"method": "bank", "provider": "BNI", "account_name": "Siti Aminah"}
    )
    assert response.status_code == 302
    payee.refresh_from_db()
    assert payee.provider == "BNI" and payee.account_number == "7654321"
    assert _trail(payee)[-1].detail["changes"] == {"provider": {"from": "BRI", "to": "BNI"}}
