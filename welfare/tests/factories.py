import factory

from courses.tests.factories import CohortFactory
from welfare.models import CoverPolicy, IntakeFunding, Payer


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
