"""List filters of the applications admin: domicile, e-mail verified, NIK warning, intake."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import YesNoFilter
from courses.models import Cohort


class ApplicantDomicileFilter(YesNoFilter):
    title = _("lives in Kabupaten Batang")
    parameter_name = "domicile"
    answers = ("batang", "other")
    yes = Q(trainee__domicile_in_batang=True)


class ApplicantEmailVerifiedFilter(YesNoFilter):
    title = _("e-mail verified")
    parameter_name = "email_verified"
    yes = Q(trainee__user__email_verified_at__isnull=False)


class ApplicantNikWarningFilter(YesNoFilter):
    title = _("NIK warning")
    parameter_name = "nik_warning"
    yes = ~Q(trainee__nik_warnings=[])
    no = Q(trainee__nik_warnings=[])


class ApplicationCohortFilter(admin.SimpleListFilter):
    """Intakes that are running or recent, not every cohort ever held.

    Listing all cohorts with applications (thousands after a few years) made the
    changelist a half-megabyte page that took seconds to render. Older intakes stay
    reachable by the same parameter (links from the cohort list) or by searching their
    code.
    """

    title = _("intake")
    parameter_name = "cohort__id__exact"

    def lookups(self, request, model_admin):
        since = timezone.localdate() - datetime.timedelta(days=60)
        cohorts = Cohort.objects.filter(training_end__gte=since, is_cancelled=False)
        if self.value() and self.value().isdigit():
            cohorts = cohorts | Cohort.objects.filter(pk=self.value())
        return [(str(c.pk), c.code) for c in cohorts.order_by("training_start", "code")[:60]]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(cohort_id=int(self.value()))
        return queryset
