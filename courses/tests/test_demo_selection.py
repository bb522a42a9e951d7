"""seed_demo's selection and training data: graduates with certificates, deterministic."""

import io

import pytest
from django.core.management import call_command

from courses.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Certificate,
    Cohort,
    SelectionRun,
    UnitResult,
)
from courses.training.selectors.certificates import certificate_list_valid_for

pytestmark = [pytest.mark.django_db, pytest.mark.bulk_data]
S = ApplicationStatus


def state():
    return (
        sorted(Certificate.objects.values_list("number", "code", "attendance_percent")),
        list(
            Application.objects.filter(selection_rank__isnull=False)
            .order_by("cohort__code", "selection_rank")
            .values_list("cohort__code", "selection_rank", "selection_score")
        ),
        Attendance.objects.count(),
        UnitResult.objects.count(),
        SelectionRun.objects.count(),
        sorted(Cohort.objects.values_list("code", "selection_seed")),
    )


def test_seed_demo_has_graduates_with_certificates_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    passed = Application.objects.filter(status=S.PASSED)
    assert passed.exists()
    assert Certificate.objects.count() == passed.count()
    graduate = passed.select_related("trainee").first()
    assert certificate_list_valid_for(trainee=graduate.trainee).exists()
    trained = Application.objects.filter(status__in=[S.PASSED, S.NOT_PASSED, S.IN_TRAINING])
    assert not trained.filter(selection_rank__isnull=True).exists()
    assert Attendance.objects.filter(present=True).exists()
    # The demo trainer has the intakes in training, and sees today's roster of one.
    from accounts.models import User
    from courses.training.demo import DEMO_TRAINER_EMAIL
    from courses.training.selectors.trainers import cohort_list_for_trainer

    trainer = User.objects.get(email=DEMO_TRAINER_EMAIL)
    assert trainer.is_trainer and not trainer.is_staff
    assert cohort_list_for_trainer(user=trainer)
    first = state()
    call_command("seed_demo", stdout=io.StringIO())
    assert state() == first
    assert User.objects.filter(email=DEMO_TRAINER_EMAIL).count() == 1
