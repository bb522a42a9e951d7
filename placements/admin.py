"""Staff UI: verify employers, moderate vacancies, follow applications, record placements.

Statuses are read-only here; they move only through actions that call the services and
report, row by row, what was done and what was refused.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import (
    ChoiceFilter,
    EventInline,
    FastChangeListMixin,
    OneChoiceFilter,
    ReadOnlyAdmin,
    ReadOnlyInline,
    YesNoFilter,
    admin_action_asking,
    admin_action_page,
    admin_action_per_row,
    admin_run_per_row,
    annotation_column,
)
from courses.models import Credential, CredentialStatus

from . import selectors, services
from .forms import BelowUmkConfirmForm, RejectForm
from .models import (
    Employer,
    EmployerEvent,
    EmployerLicence,
    EmployerMember,
    JobApplication,
    JobApplicationEvent,
    JobSeekerPreference,
    Placement,
    PlacementPolicy,
    Vacancy,
    VacancyEvent,
    umk_batang,
)

# --------------------------------------------------------------------------- employers


class VerifiedFilter(YesNoFilter):
    title = _("verified")
    parameter_name = "verified"
    yes = Q(verified_at__isnull=False)


class EmployerEventInline(EventInline):
    model = EmployerEvent


class EmployerMemberInline(admin.TabularInline):
    model = EmployerMember
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)
    verbose_name = _("account acting for this employer")
    verbose_name_plural = _("accounts acting for this employer")


class LicenceColumns:
    """The credential of a binding as staff read it: the worker's name (never the NIK),
    the licence with its derived status, the hire it answers. Needs the credential, its
    scheme and the placement selected with the row."""

    @admin.display(description=_("worker"), ordering="credential__holder_name")
    def worker(self, licence):
        return licence.credential.holder_name or "—"

    @admin.display(description=_("licence"), ordering="credential__number")
    def licence_shown(self, licence):
        credential = licence.credential
        return format_html(
            '<a href="{}">{} {}</a>',
            reverse("admin:courses_credential_change", args=[credential.pk]),
            credential.scheme.name,
            credential.number,
        )

    @admin.display(description=_("valid until"), ordering="credential__expires_on")
    def expires_on(self, licence):
        return licence.credential.expires_on or "—"

    @admin.display(description=_("status"))
    def status_shown(self, licence):
        return CredentialStatus(licence.credential.status_on(timezone.localdate())).label

    @admin.display(description=_("hired on"), ordering="placement__start_date")
    def placement_shown(self, licence):
        placement = licence.placement
        if placement is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:placements_placement_change", args=[placement.pk]),
            placement.start_date,
        )


class EmployerLicenceInline(LicenceColumns, ReadOnlyInline):
    model = EmployerLicence
    fk_name = "employer"
    fields = ("licence_shown", "worker", "expires_on", "status_shown", "placement_shown")
    verbose_name = _("licence bound to this employer")
    verbose_name_plural = _("licences bound to this employer")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("credential__scheme", "placement")
            .order_by("-created_at", "-pk")
        )


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "nib",
        "sector",
        "zone",
        "is_verified_display",
        "vacancy_count",
        "average_response",
        "created_at",
    )
    list_filter = (VerifiedFilter, "zone", "sector")
    search_fields = ("name", "=nib", "email", "contact_person")
    search_help_text = _("Company name, e-mail, contact person or the full NIB.")
    readonly_fields = ("verified_at", "verified_by", "created_at", "updated_at")
    ordering = ("-created_at",)
    inlines = [EmployerMemberInline, EmployerLicenceInline, EmployerEventInline]
    actions = ["verify"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return selectors.employer_annotate_response_time(queryset).annotate(
            vacancies_total=Count("vacancies", distinct=True)
        )

    @admin.display(description=_("verified"), boolean=True, ordering="verified_at")
    def is_verified_display(self, employer):
        return employer.is_verified

    vacancy_count = annotation_column("vacancies_total", _("vacancies"))

    @admin.display(description=_("average first answer (days)"), ordering="avg_response")
    def average_response(self, employer):
        if employer.avg_response is None:
            return "—"
        return f"{employer.avg_response.total_seconds() / 86400:.1f}"

    verify = admin_action_per_row(
        services.employer_verify,
        "employer",
        description=_("Verify the selected employers (NIB checked in OSS)"),
        done_message=_("Verified: %(items)s."),
    )


# --------------------------------------------------------------------------- vacancies


class BelowUmkFilter(admin.SimpleListFilter):
    title = _("salary vs. UMK")
    parameter_name = "umk"

    def lookups(self, request, model_admin):
        return [("below", _("Below UMK")), ("ok", _("At or above UMK")), ("none", _("Not stated"))]

    def queryset(self, request, queryset):
        umk = umk_batang()
        lowest_below = Q(salary_min__lt=umk) | Q(salary_min__isnull=True, salary_max__lt=umk)
        if self.value() == "below":
            return queryset.filter(lowest_below)
        if self.value() == "ok":
            return queryset.exclude(lowest_below).exclude(
                salary_min__isnull=True, salary_max__isnull=True
            )
        if self.value() == "none":
            return queryset.filter(salary_min__isnull=True, salary_max__isnull=True)
        return queryset


class VacancyEventInline(EventInline):
    model = VacancyEvent


@admin.register(Vacancy)
class VacancyAdmin(FastChangeListMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "employer",
        "employer_verified",
        "status",
        "salary_display",
        "umk_flag",
        "deadline",
        "submitted_at",
    )
    list_filter = (
        "status",
        BelowUmkFilter,
        "employment_type",
        "zone",
        ("employer__verified_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("employer",)
    search_fields = ("title", "employer__name", "=employer__nib")
    autocomplete_fields = ("employer", "required_program")
    filter_horizontal = ("tracks",)
    date_hierarchy = "created_at"
    ordering = ("-submitted_at", "-pk")
    # The moderation queue in pages of 50 (Django's 100 rows doubled the page's time),
    # without a second COUNT(*) of every vacancy.
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = (
        "status",
        "umk_flag",
        "rejection_reason",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "closed_at",
    )
    inlines = [VacancyEventInline]
    actions = ["publish", "reject", "close"]

    def view_on_site(self, vacancy):
        """The public page, only while there is one (a draft or one under review is a 404)."""
        if vacancy.status == Vacancy.Status.PUBLISHED or (
            vacancy.status == Vacancy.Status.CLOSED and vacancy.published_at
        ):
            return vacancy.get_absolute_url()
        return None

    def has_add_permission(self, request):
        # Vacancies are written by employers (or staff through an employer account), so
        # every one goes through the draft → review path.
        return False

    @admin.display(description=_("employer verified"), boolean=True)
    def employer_verified(self, vacancy):
        return vacancy.employer.is_verified

    @admin.display(description=_("salary"))
    def salary_display(self, vacancy):
        low, high = vacancy.salary_min, vacancy.salary_max
        if low is None and high is None:
            return "—"
        return "–".join(f"{v:,}".replace(",", ".") for v in (low, high) if v is not None)

    @admin.display(description=_("UMK"))
    def umk_flag(self, vacancy):
        if vacancy.below_umk:
            return format_html("<strong>⚠ {}</strong>", _("below UMK"))
        return "✓" if vacancy.lowest_salary is not None else "—"

    @admin.action(description=_("Publish the selected vacancies"))
    def publish(self, request, queryset):
        """Publish row by row; a salary below the UMK first asks for a confirmed reason."""
        vacancies = list(queryset.select_related("employer"))
        below = [v for v in vacancies if v.below_umk]
        reason = ""
        if below:
            form = BelowUmkConfirmForm(request.POST if "apply" in request.POST else None)
            if not ("apply" in request.POST and form.is_valid()):
                return admin_action_page(
                    self,
                    request,
                    title=_("Publish vacancies below the UMK"),
                    form=form,
                    objects=vacancies,
                    action="publish",
                    submit_label=_("Publish"),
                    template="admin/placements/vacancy/publish_below_umk.html",
                    status=400 if form.is_bound else 200,
                    below=below,
                    umk=umk_batang(),
                )
            reason = form.cleaned_data["reason"]
        admin_run_per_row(
            request,
            vacancies,
            lambda v: services.vacancy_publish(
                vacancy=v, actor=request.user, below_umk_reason=reason if v.below_umk else ""
            ),
            _("Published: %(items)s."),
        )
        return None

    close = admin_action_per_row(
        services.vacancy_close,
        "vacancy",
        description=_("Close the selected vacancies"),
        done_message=_("Closed: %(items)s."),
    )

    @admin.action(description=_("Reject the selected vacancies (with a reason)…"))
    def reject(self, request, queryset):
        """Ask for the reason on an intermediate page, then reject row by row."""
        return admin_action_asking(
            self,
            request,
            queryset,
            form_class=RejectForm,
            run=lambda v, data: services.vacancy_reject(
                vacancy=v, actor=request.user, reason=data["reason"]
            ),
            done_message=_("Rejected: %(items)s."),
            title=_("Reject vacancies"),
            action="reject",
            submit_label=_("Reject"),
            template="admin/placements/vacancy/reject.html",
        )


# -------------------------------------------------------------------- applications


class JobApplicationEventInline(EventInline):
    model = JobApplicationEvent


@admin.register(JobApplication)
class JobApplicationAdmin(ReadOnlyAdmin):
    # The model's URL is the job seeker's own page: staff would only meet a refusal there.
    view_on_site = False
    list_display = (
        "person",
        "vacancy",
        "employer",
        "status",
        "created_at",
        "first_response_at",
    )
    list_filter = ("status", "vacancy__employer__zone")
    list_select_related = ("person", "vacancy__employer")
    search_fields = (
        "person__full_name",
        "person__email",
        "vacancy__title",
        "vacancy__employer__name",
    )
    date_hierarchy = "created_at"
    fields = (
        "vacancy",
        "person",
        "status",
        "cover_note",
        "snapshot",
        "status_changed_at",
        "first_response_at",
        "no_response_notified_at",
        "interview_at",
        "interview_place",
        "not_selected_reason",
        "not_selected_code",
        "created_at",
    )
    inlines = [JobApplicationEventInline]

    @admin.display(description=_("employer"), ordering="vacancy__employer__name")
    def employer(self, application):
        return application.vacancy.employer


# ---------------------------------------------------------------------- placements


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ("employer", "person", "person_name", "vacancy", "start_date", "salary", "note")

    def clean(self):
        cleaned = super().clean()
        employer, vacancy = cleaned.get("employer"), cleaned.get("vacancy")
        if employer and vacancy and vacancy.employer_id != employer.pk:
            self.add_error("vacancy", _("The vacancy belongs to another employer."))
        return cleaned


class WaitingForLicenceFilter(OneChoiceFilter):
    """Hires the employer still has to record a licence for, so staff can chase them."""

    title = _("licence")
    parameter_name = "licence"
    choice = ("waiting", _("Waiting for its licence"))

    def rows(self, queryset):
        return selectors.placement_list_waiting_for_licence(queryset=queryset)


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    form = PlacementForm
    list_display = ("who", "employer", "vacancy", "start_date", "salary", "source", "created_at")
    list_filter = ("source", WaitingForLicenceFilter, "employer__zone", "employer__sector")
    list_select_related = ("person", "employer", "vacancy")
    search_fields = ("person__full_name", "person__email", "person_name", "employer__name")
    autocomplete_fields = ("employer", "person", "vacancy")
    date_hierarchy = "start_date"
    fields = ("employer", "person", "person_name", "vacancy", "start_date", "salary", "note")

    def get_readonly_fields(self, request, obj=None):
        # A recorded placement is history: corrections are a new record plus a note.
        return self.fields if obj is not None else ()

    @admin.display(description=_("person"))
    def who(self, placement):
        return placement.person or placement.person_name

    def save_model(self, request, obj, form, change):
        if change:
            return
        # The form checked what the service checks, so it does not refuse here.
        data = form.cleaned_data
        saved = services.placement_record_outside(
            employer=data["employer"],
            start_date=data["start_date"],
            actor=request.user,
            person=data.get("person"),
            person_name=data.get("person_name", ""),
            vacancy=data.get("vacancy"),
            salary=data.get("salary"),
            note=data.get("note", ""),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


# ------------------------------------------------------------------------ licences


class LicenceStatusFilter(ChoiceFilter):
    title = _("status")
    choices_of = CredentialStatus

    def rows(self, queryset, value):
        credentials = Credential.objects.with_status(value, today=timezone.localdate())
        return queryset.filter(credential__in=credentials.values("pk"))


@admin.register(EmployerLicence)
class EmployerLicenceAdmin(LicenceColumns, ReadOnlyAdmin):
    """Which licences are bound to which employer. The employer records them
    (`employer_credential_record`); staff correct the credential itself (verify, revoke,
    holder left) on its registry page, linked from each row."""

    list_display = (
        "employer",
        "worker",
        "licence_shown",
        "expires_on",
        "status_shown",
        "placement_shown",
        "created_at",
    )
    list_filter = (
        ("employer__verified_at", admin.EmptyFieldListFilter),
        ("credential__scheme", admin.RelatedOnlyFieldListFilter),
        LicenceStatusFilter,
    )
    list_select_related = ("employer", "credential__scheme", "placement")
    search_fields = ("employer__name", "credential__holder_name", "credential__number")
    search_help_text = _("Company name, worker's name or licence number.")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    list_per_page = 50
    show_full_result_count = False
    fields = (
        "employer",
        "worker",
        "licence_shown",
        "expires_on",
        "status_shown",
        "placement",
        "created_at",
    )

    def get_queryset(self, request):
        # The change page reads the same columns as the list.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "employer", "credential__scheme", "placement__employer", "placement__person"
            )
        )


@admin.register(JobSeekerPreference)
class JobSeekerPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "job_alerts", "discoverable", "updated_at")
    list_filter = ("job_alerts", "discoverable")
    search_fields = ("user__full_name", "user__email")
    readonly_fields = ("user", "job_alerts", "discoverable", "updated_at")

    def has_add_permission(self, request):
        return False


@admin.register(PlacementPolicy)
class PlacementPolicyAdmin(admin.ModelAdmin):
    """The one row of job board rules staff change: the UMK each year, caps, reminders."""

    list_display = ("__str__", "umk", "umk_year", "weekly_cap", "no_response_days", "updated_at")
    fields = ("umk", "umk_year", "weekly_cap", "no_response_days", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request):
        # One row, created by a migration and changed at its page; nothing to add.
        return False

    def get_object(self, request, object_id, from_field=None):
        # Should the row be gone, its page still opens with the defaults; saving creates it.
        policy = super().get_object(request, object_id, from_field)
        if policy is None and str(object_id) == "1":
            policy = PlacementPolicy(pk=1)
        return policy

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.placement_policy_update(actor=request.user, data=form.cleaned_data)
        obj.pk = saved.pk
        obj.refresh_from_db()


# Demand statements and pledges (placements.demand) register themselves.
from .demand import admin as demand_admin  # noqa: E402, F401
