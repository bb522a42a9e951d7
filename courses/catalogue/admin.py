"""Staff screens for tracks, programs and cohorts.

Changelists cost a constant number of queries: related rows come with
`list_select_related`, counts and statuses with annotations from the selectors.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ChoiceFilter, annotation_column
from core.choices import DocumentKind
from core.formatting import format_moment
from courses.admissions.admin.cohorts import CohortSelectionAdminMixin
from courses.catalogue.selectors import (
    cohort_annotate_seats,
    cohort_annotate_status,
    cohort_count_seats_taken,
    cohort_status_q,
)
from courses.catalogue.services import catalogue_public_cache_bump, cohort_copy_to_next_intake
from courses.errors import CohortError
from courses.models import Cohort, CohortStatus, CompetencyUnit, Program, Track
from courses.training.admin import CohortTrainingAdminMixin


class CatalogueAdmin(admin.ModelAdmin):
    """Every staff write to catalogue data makes the public catalogue pages stale."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        catalogue_public_cache_bump()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        catalogue_public_cache_bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue_public_cache_bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue_public_cache_bump()


@admin.register(Track)
class TrackAdmin(CatalogueAdmin):
    list_display = ("name_id", "name_en", "slug", "position", "program_count")
    list_editable = ("position",)
    search_fields = ("name_id", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_id",)}
    ordering = ("position", "name_id")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    program_count = annotation_column("program_count", _("programs"))


class CompetencyUnitInline(admin.TabularInline):
    model = CompetencyUnit
    extra = 1
    fields = ("position", "code", "title")


class ProgramAdminForm(forms.ModelForm):
    required_documents = forms.MultipleChoiceField(
        label=_("required documents"),
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Program
        fields = "__all__"  # noqa: DJ007 - staff edit every field of a program


@admin.register(Program)
class ProgramAdmin(CatalogueAdmin):
    form = ProgramAdminForm
    inlines = (CompetencyUnitInline,)
    list_display = (
        "title",
        "code",
        "track",
        "kkni_level",
        "duration_days",
        "lesson_hours",
        "min_education",
        "cohort_count",
        "is_published",
    )
    list_filter = ("track", "is_published", "min_education", "kkni_level")
    list_select_related = ("track",)
    search_fields = ("title", "code", "slug", "certification_scheme", "units__code")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("track",)
    fieldsets = (
        (None, {"fields": ("track", "title", "code", "slug", "summary", "description")}),
        (
            _("Competency and certification"),
            {"fields": ("kkni_level", "certification_scheme", "duration_days", "lesson_hours")},
        ),
        (
            _("Eligibility"),
            {
                "fields": (
                    ("min_age", "max_age"),
                    "min_education",
                    "extra_requirements",
                    "required_documents",
                )
            },
        ),
        (_("Publication"), {"fields": ("is_published",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cohort_count=Count("cohorts"))

    cohort_count = annotation_column("cohort_count", _("cohorts"))


class CohortStatusFilter(ChoiceFilter):
    """Filter on the status derived from the dates, computed by the database."""

    title = _("status")
    choices_of = CohortStatus

    def rows(self, queryset, value):
        return queryset.filter(cohort_status_q(value, now=timezone.now()))


class CohortAdminForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = "__all__"  # noqa: DJ007 - staff edit every field of a cohort

    def clean_capacity(self):
        """Never below the seats already taken (people accepted or training)."""
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity is not None:
            taken = cohort_count_seats_taken(cohort=self.instance)
            if capacity < taken:
                raise forms.ValidationError(
                    ngettext(
                        "%(taken)d seat is already taken: the capacity cannot be lower. "
                        "Withdraw or move people first.",
                        "%(taken)d seats are already taken: the capacity cannot be lower. "
                        "Withdraw or move people first.",
                        taken,
                    )
                    % {"taken": taken},
                    code="below_taken",
                )
        return capacity


@admin.register(Cohort)
class CohortAdmin(CohortTrainingAdminMixin, CohortSelectionAdminMixin, CatalogueAdmin):
    form = CohortAdminForm
    list_display = (
        "code",
        "program",
        "training_start",
        "training_end",
        "registration_opens_at",
        "registration_closes_at",
        "capacity",
        "applicants",
        "seats_taken",
        "status_label",
    )
    list_filter = ("program__track", CohortStatusFilter, "training_start", "is_cancelled")
    list_select_related = ("program", "program__track")
    search_fields = ("code", "program__title", "program__code", "location")
    date_hierarchy = "training_start"
    autocomplete_fields = ("program", "trainers")
    readonly_fields = ("status_label", "created_at", "updated_at")
    ordering = ("-training_start", "code")
    actions = ("copy_to_next_intake",)
    fieldsets = (
        (None, {"fields": ("program", "code", "status_label", "is_cancelled")}),
        (
            _("Dates"),
            {
                "fields": (
                    ("training_start", "training_end"),
                    "registration_opens_at",
                    "registration_closes_at",
                    "reregistration_deadline",
                )
            },
        ),
        (
            _("Seats and place"),
            {"fields": ("capacity", "local_share", "local_share_basis", "location", "schedule")},
        ),
        (
            _("Trainers and first day"),
            {"fields": ("trainers", "contact", "first_day_bring")},
        ),
        (
            _("Selection stages"),
            {"fields": ("uses_document_check", "uses_written_test", "uses_interview")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return cohort_annotate_seats(cohort_annotate_status(queryset, now=timezone.now()))

    applicants = annotation_column("applicants_count", _("applicants"))
    seats_taken = annotation_column("seats_taken", _("seats taken"))

    @admin.display(description=_("status"), ordering="status_now")
    def status_label(self, obj):
        if obj.pk is None:
            return "—"
        return obj.status.label

    @admin.action(description=_("Copy into the next intake (new code and dates)"))
    def copy_to_next_intake(self, request, queryset):
        copied = 0
        for cohort in queryset.order_by("pk"):
            try:
                copy = cohort_copy_to_next_intake(cohort=cohort)
            except CohortError as error:
                self.message_user(
                    request,
                    gettext("%(code)s not copied: %(reason)s")
                    % {"code": cohort.code, "reason": error.message},
                    messages.WARNING,
                )
                continue
            copied += 1
            self.message_user(
                request,
                format_html(
                    gettext(
                        '{source} copied to <a href="{url}">{code}</a>: training '
                        "{start} – {end}, registration opens {opens}."
                    ),
                    source=cohort.code,
                    url=reverse("admin:courses_cohort_change", args=[copy.pk]),
                    code=copy.code,
                    start=date_format(copy.training_start),
                    end=date_format(copy.training_end),
                    opens=format_moment(copy.registration_opens_at),
                ),
                messages.SUCCESS,
            )
        if copied:
            self.message_user(
                request,
                ngettext("%(n)d cohort copied.", "%(n)d cohorts copied.", copied) % {"n": copied},
                messages.INFO,
            )
