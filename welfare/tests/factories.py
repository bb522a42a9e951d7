import factory

from courses.tests.factories import CohortFactory, application_in
from welfare import services
from welfare.models import CoverageStatus, CoverPolicy, IntakeFunding, Payer


class CoverPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverPolicy

    cohort = factory.SubFactory(CohortFactory)
    payer = Payer.PEMKAB


class IntakeFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeFunding

    cohort = factory.SubFactory(CohortFactory)
    source = Payer.PEMKAB


# A bank account as the trainee's payee form (and the admin's) takes it.
BANK = {
    "method": "bank",
    "provider": "BRI",
    "account_number": "1234567",
    "account_name": "Siti Aminah",
}


def cover_sent(cohort, *statuses, **policy):
    """A cover policy for `cohort`, an application in each of `statuses` and the first
    batch sent to BPJS: `(applications, batch)`."""
    CoverPolicyFactory(cohort=cohort, **policy)
    applications = [application_in(cohort, status) for status in statuses]
    return applications, services.cover_batch_send(cohort=cohort, actor=None)


def coverage_activate(coverage, kpj_number="26010000001"):
    """BPJS answered: the cover is active under `kpj_number`."""
    return services.coverage_transition(
        coverage=coverage, to=CoverageStatus.ACTIVE, actor=None, kpj_number=kpj_number
    )
