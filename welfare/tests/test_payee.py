"""The trainee enters their own allowance account; staff verify it; lists mask it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from courses.tests.factories import ApplicationFactory, CohortFactory, application_in
from welfare import services
from welfare.errors import PayeeError
from welfare.models import AllowancePayment, Payee

from .factories import BANK, IntakeFundingFactory

pytestmark = pytest.mark.django_db


def _edit(application):
    return reverse("welfare:payee-edit", args=[application.pk])


def test_trainee_enters_their_bank_account_and_sees_it_masked(client, seat):
    user = seat.trainee.user
    client.force_login(user)
    page = client.get(reverse("welfare:payee-list"))
    assert page.status_code == 200
    assert _edit(seat) in page.content.decode()
    response = client.post(_edit(seat), {**BANK, "account_number": "0012-01-000123-50-9"})
    assert response.status_code == 302 and response["Location"] == reverse("welfare:payee-list")
    payee = Payee.objects.get(application=seat)
    assert payee.account_number == "001201000123509"  # digits only, for the treasurer
    assert payee.entered_by == user and not payee.is_verified
    body = client.get(reverse("welfare:payee-list")).content.decode()
    assert "•••••••••••3509" in body and "001201000123509" not in body
    assert "belum diperiksa petugas" in body


def test_an_ewallet_is_paid_to_a_mobile_number(client, seat):
    client.force_login(seat.trainee.user)
    data = {**BANK, "method": "ewallet", "provider": "DANA", "account_number": "+62 812-3456-7890"}
    assert client.post(_edit(seat), data).status_code == 302
    assert Payee.objects.get(application=seat).account_number == "081234567890"
    data["account_number"] = "0285 391234"  # a landline
    response = client.post(_edit(seat), data)
    assert response.status_code == 400
    assert "nomor HP" in response.content.decode()


@pytest.mark.parametrize("number", ["12345", "12ab5678", "1234567890123456789"])
def test_a_bad_bank_number_is_a_translated_400_that_keeps_the_input(client, seat, number):
    client.force_login(seat.trainee.user)
    response = client.post(_edit(seat), {**BANK, "account_number": number})
    assert response.status_code == 400
    body = response.content.decode()
    assert "7 sampai 18 angka" in body
    assert 'value="Siti Aminah"' in body
    assert not Payee.objects.exists()


def test_another_trainee_and_other_people_cannot_reach_the_page(client, seat, staff_client_for):
    from core.roles import TRAINING_STAFF
    from trainees.tests.factories import CompleteTraineeFactory

    other = CompleteTraineeFactory().user
    client.force_login(other)
    assert client.get(_edit(seat)).status_code == 404
    assert client.post(_edit(seat), BANK).status_code == 404
    assert client.get(reverse("welfare:payee-list")).content.decode().count("payee-edit") == 0
    assert not Payee.objects.exists()
    assert staff_client_for(TRAINING_STAFF).get(_edit(seat)).status_code == 403


def test_intakes_without_an_allowance_or_without_a_seat_are_not_offered(client):
    none_rule = CohortFactory()
    IntakeFundingFactory(cohort=none_rule, allowance_rule="none")
    no_rule = application_in(none_rule, "confirmed")
    client.force_login(no_rule.trainee.user)
    assert client.get(_edit(no_rule)).status_code == 404
    paying = CohortFactory()
    IntakeFundingFactory(cohort=paying, allowance_rule="lump_sum", allowance_amount=1)
    submitted = application_in(paying, "submitted")
    client.force_login(submitted.trainee.user)
    assert client.get(_edit(submitted)).status_code == 404


def test_a_change_clears_the_verification_and_the_same_details_keep_it(staff_member, seat):
    from core.roles import TRAINING_STAFF

    staff = staff_member(TRAINING_STAFF)
    user = seat.trainee.user
    payee = services.payee_save(
        application=seat, actor=user, **{**BANK, "account_number": "1234567"}
    )
    services.payee_verify(payee=payee, actor=staff)
    payee = services.payee_save(
        application=seat, actor=user, **{**BANK, "account_number": "1234567"}
    )
    assert payee.is_verified and payee.verified_by == staff
    payee = services.payee_save(
        application=seat, actor=user, **{**BANK, "account_number": "7654321"}
    )
    assert not payee.is_verified


def test_after_payment_the_account_is_locked(client, seat):
    user = seat.trainee.user
    services.payee_save(application=seat, actor=user, **{**BANK, "account_number": "1234567"})
    AllowancePayment.objects.create(application=seat, amount=50000, paid_on=timezone.localdate())
    with pytest.raises(PayeeError) as caught:
        services.payee_save(application=seat, actor=user, **{**BANK, "account_number": "7654321"})
    assert caught.value.code == PayeeError.ALREADY_PAID
    client.force_login(user)
    response = client.post(_edit(seat), {**BANK, "account_number": "7654321"})
    assert response.status_code == 409
    assert Payee.objects.get(application=seat).account_number == "1234567"


def test_staff_verify_from_the_list_and_opening_a_full_number_is_audited(
    training_staff_client, seat
):
    payee = services.payee_save(
        application=seat, actor=seat.trainee.user, **{**BANK, "account_number": "1234567"}
    )
    changelist = reverse("admin:welfare_payee_changelist")
    body = training_staff_client.get(changelist).content.decode()
    assert "•••4567" in body and "1234567" not in body
    response = training_staff_client.post(
        changelist, {"action": "verify", "_selected_action": [payee.pk]}
    )
    assert response.status_code == 302
    payee.refresh_from_db()
    assert payee.is_verified
    page = training_staff_client.get(reverse("admin:welfare_payee_change", args=[payee.pk]))
    assert page.status_code == 200 and "1234567" in page.content.decode()
    audit = AuditEvent.objects.get(action="personal_data.view")
    assert audit.detail == {"what": "payee"} and audit.subject_id == str(payee.pk)


def test_the_dashboard_asks_for_the_account_until_it_is_given(client, seat):
    client.force_login(seat.trainee.user)
    dashboard = reverse("courses:dashboard")
    assert reverse("welfare:payee-list") in client.get(dashboard).content.decode()
    services.payee_save(
        application=seat, actor=seat.trainee.user, **{**BANK, "account_number": "1234567"}
    )
    assert reverse("welfare:payee-list") not in client.get(dashboard).content.decode()


@pytest.mark.parametrize("n", [1, 6])
def test_the_trainees_allowance_list_stays_flat(client, django_assert_max_num_queries, n):
    from trainees.tests.factories import CompleteTraineeFactory

    trainee = CompleteTraineeFactory()
    for _ in range(n):
        cohort = CohortFactory()
        IntakeFundingFactory(cohort=cohort, allowance_rule="per_day", allowance_amount=50000)
        application = ApplicationFactory(cohort=cohort, trainee=trainee, status="confirmed")
        services.payee_save(
            application=application, actor=trainee.user, **{**BANK, "account_number": "1234567"}
        )
    client.force_login(trainee.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("welfare:payee-list"))
    assert response.content.decode().count("•••4567") == n
