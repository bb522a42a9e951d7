"""List filters of the applications admin: domicile, e-mail verified, NIK warning, intake."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort


class ApplicantDomicileFilter(admin.SimpleListFilter):
    title = _("lives in Kabupaten Batang")
    parameter_name = "domicile"

    def lookups(self, request, model_admin):
        return [("batang", _("Yes")), ("other", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "batang":
            return queryset.filter(trainee__domicile_in_batang=True)
        if self.value() == "other":
            return queryset.filter(trainee__domicile_in_batang=False)
        return queryset


class ApplicantEmailVerifiedFilter(admin.SimpleListFilter):
    title = _("e-mail verified")
    parameter_name = "email_verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(trainee__user__email_verified_at__isnull=self.value() == "no")
        return queryset


class ApplicantNikWarningFilter(admin.SimpleListFilter):
    title = _("NIK warning")
    parameter_name = "nik_warning"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(trainee__nik_warnings=[])
        if self.value() == "no":
            return queryset.filter(trainee__nik_warnings=[])
        return queryset


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
