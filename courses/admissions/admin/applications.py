"""Staff screens for applications.

Score columns editable in the list (filter by intake: a score sheet), bulk moves (verify
documents, accept, reserve, not accept with a reason, confirm, mark dropped out, withdraw
on the applicant's behalf) that report every row. Every write calls a service; a refusal
becomes a message, never a 500.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin import EventInline, FastChangeListMixin, admin_page
from courses.admissions.admin.documents import ApplicationDocumentsAdminMixin
from courses.admissions.admin.filters import (
    ApplicantDomicileFilter,
    ApplicantEmailVerifiedFilter,
    ApplicantNikWarningFilter,
    ApplicationCohortFilter,
)
from courses.admissions.rules import RANKING_FIELDS, SCORABLE, SCORE_FIELDS
from courses.admissions.services.scores import application_scores_set
from courses.admissions.services.staff import application_bulk_transition
from courses.models import Application, ApplicationEvent, ApplicationStatus

S = ApplicationStatus


def _report(modeladmin, request, outcomes, done_message):
    """One line per refused row, then how many were done (`done_message`: a lazy plural
    keyed on "n")."""
    done = [o for o in outcomes if o.ok]
    for outcome in outcomes:
        if not outcome.ok:
            modeladmin.message_user(
                request,
                gettext("#%(number)s %(name)s: refused — %(reason)s")
                % {
                    "number": outcome.application.pk,
                    "name": outcome.application.trainee.user.full_name,
                    "reason": outcome.message,
                },
                messages.WARNING,
            )
    if done:
        modeladmin.message_user(request, done_message % {"n": len(done)}, messages.SUCCESS)
    elif not outcomes:
        modeladmin.message_user(request, gettext("Nothing selected."), messages.INFO)


def _status_action(name, to, description, done_message, *, reason_title=None):
    """A bulk move of the selected applications to `to`, reporting every row; with a
    `reason_title`, an intermediate page first asks the reason the applicants will read."""

    def action(modeladmin, request, queryset):
        if reason_title is not None:
            return modeladmin._with_reason(request, queryset, to, reason_title, done_message)
        modeladmin._bulk(request, queryset, to, done_message)
        return None

    action.__name__ = name
    return admin.action(description=description)(action)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the applicant will read"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Written as it is on the applicant's timeline and in the e-mail."),
    )


def reason_action_page(
    modeladmin, request, queryset, *, action, title, template, run, reason_label=None
):
    """A bulk action asking one reason for every selected row on an intermediate page
    (`template`, extending application/reason_action.html); once it is given, `run(reason)`
    and return None, back to the list."""
    if request.POST.get("apply"):
        form = ReasonForm(request.POST)
        if form.is_valid():
            run(form.cleaned_data["reason"])
            return None
    else:
        form = ReasonForm()
    if reason_label is not None:
        form.fields["reason"].label = reason_label
    return admin_page(
        modeladmin,
        request,
        template,
        title=str(title),
        form=form,
        queryset=queryset,
        action=action,
        action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
    )


def report_each(modeladmin, request, rows, run, *, error, done) -> None:
    """`run(row)` on each numbered row (a certificate, a credential); an `error` refuses
    that row only. One message a row: `done(row)`, or its number and the reason."""
    for row in rows:
        try:
            run(row)
        except error as refused:
            modeladmin.message_user(request, f"{row.number}: {refused.message}", messages.WARNING)
        else:
            modeladmin.message_user(request, done(row), messages.SUCCESS)


class ScoreListForm(forms.ModelForm):
    """Scores of one application: a row of the score list, or the change form."""

    class Meta:
        model = Application
        fields = SCORE_FIELDS

    def clean(self):
        cleaned = super().clean()
        changed = self.has_changed()
        if changed and self.instance.pk and self.instance.status not in SCORABLE:
            raise forms.ValidationError(
                gettext("Scores can no longer change: the application is “%(status)s”.")
                % {"status": self.instance.get_status_display()}
            )
        return cleaned


class ApplicationSelectionAdminMixin:
    """Mixed into the applications admin: scores, selection columns and bulk moves."""

    selection_actions = (
        "verify_documents",
        "accept",
        "put_on_reserve_list",
        "not_accept",
        "confirm_reregistration",
        "mark_dropped_out",
        "withdraw_on_behalf",
    )
    selection_list_display = (
        "written_test_score",
        "interview_score",
        "selection_score",
        "selection_rank",
        "reserve_position",
    )
    list_editable = SCORE_FIELDS
    form = ScoreListForm
    selection_fields = (*SCORE_FIELDS, *RANKING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On the instance, so Django's admin checks see the editable score columns. They
        # come right after the name: what staff type in stays in view at 1280 px.
        first, *rest = self.list_display
        self.list_display = (first, *self.selection_list_display, *rest)

    def get_changelist_form(self, request, **kwargs):
        return ScoreListForm

    def get_fields(self, request, obj=None):
        return (*super().get_fields(request, obj), *self.selection_fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        readonly += RANKING_FIELDS
        if obj is not None and obj.status not in SCORABLE:
            readonly += SCORE_FIELDS
        return tuple(dict.fromkeys(readonly))

    def save_model(self, request, obj, form, change):
        """Scores are the only thing staff edit here; they go through the service."""
        if not change:
            raise PermissionDenied
        if obj.status not in SCORABLE:
            return  # scores are read-only then (the form refused any change)
        values = {f: form.cleaned_data.get(f) for f in SCORE_FIELDS}
        application_scores_set(
            application=obj,
            actor=request.user,
            written_test=values["written_test_score"],
            interview=values["interview_score"],
            clear=True,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in self.selection_actions:
            func, action_name, description = self.get_action(name)
            actions[action_name] = (func, action_name, description)
        return actions

    def _bulk(self, request, queryset, to, done_message, reason=""):
        outcomes = application_bulk_transition(
            applications=list(queryset.select_related("trainee__user")),
            to=to,
            actor=request.user,
            reason=reason,
        )
        _report(self, request, outcomes, done_message)

    def _with_reason(self, request, queryset, to, title, done_message):
        """An intermediate page asks the reason once for every selected application."""
        return reason_action_page(
            self,
            request,
            queryset.select_related("trainee__user", "cohort"),
            action=request.POST.get("action"),
            title=title,
            template="admin/courses/application/reason_action.html",
            run=lambda reason: self._bulk(request, queryset, to, done_message, reason),
        )

    verify_documents = _status_action(
        "verify_documents",
        S.DOCUMENTS_VERIFIED,
        _("Documents verified (seleksi administrasi)"),
        ngettext_lazy(
            "%(n)d application marked documents verified.",
            "%(n)d applications marked documents verified.",
            "n",
        ),
    )
    accept = _status_action(
        "accept",
        S.ACCEPTED,
        _("Accept (needs a free seat)"),
        ngettext_lazy("%(n)d applicant accepted.", "%(n)d applicants accepted.", "n"),
    )
    put_on_reserve_list = _status_action(
        "put_on_reserve_list",
        S.RESERVE,
        _("Put on the reserve list (at the end)"),
        ngettext_lazy(
            "%(n)d applicant put on the reserve list.",
            "%(n)d applicants put on the reserve list.",
            "n",
        ),
    )
    not_accept = _status_action(
        "not_accept",
        S.NOT_ACCEPTED,
        _("Not accept, with a reason…"),
        ngettext_lazy("%(n)d applicant not accepted.", "%(n)d applicants not accepted.", "n"),
        reason_title=_("Not accept the selected applicants"),
    )
    confirm_reregistration = _status_action(
        "confirm_reregistration",
        S.CONFIRMED,
        _("Confirm re-registration (daftar ulang)"),
        ngettext_lazy("%(n)d applicant re-registered.", "%(n)d applicants re-registered.", "n"),
    )
    mark_dropped_out = _status_action(
        "mark_dropped_out",
        S.DROPPED_OUT,
        _("Mark dropped out (in training)"),
        ngettext_lazy(
            "%(n)d trainee marked dropped out.", "%(n)d trainees marked dropped out.", "n"
        ),
    )
    withdraw_on_behalf = _status_action(
        "withdraw_on_behalf",
        S.WITHDRAWN,
        _("Withdraw on the applicant's behalf, with a reason…"),
        ngettext_lazy(
            "%(n)d application withdrawn; freed seats go to the reserve list.",
            "%(n)d applications withdrawn; freed seats go to the reserve list.",
            "n",
        ),
        reason_title=_("Withdraw the selected applications"),
    )


class ApplicationEventInline(EventInline):
    """The application's timeline, read-only: rows are written by the services only."""

    model = ApplicationEvent


@admin.register(Application)
class ApplicationAdmin(
    FastChangeListMixin,
    ApplicationDocumentsAdminMixin,
    ApplicationSelectionAdminMixin,
    admin.ModelAdmin,
):
    """Applications, read-only: statuses move only through `application_transition`."""

    # The model's URL is the applicant's own page: staff would only meet a refusal there.
    view_on_site = False

    list_display = (
        "applicant",
        "nik_masked",
        "cohort",
        "status",
        "domicile",
        "education",
        "created_at",
    )
    list_filter = (
        "status",
        ApplicationCohortFilter,
        ApplicantDomicileFilter,
        ("trainee__education_level", admin.ChoicesFieldListFilter),
        ApplicantEmailVerifiedFilter,
        ApplicantNikWarningFilter,
    )
    list_select_related = ("trainee__user", "cohort__program")
    search_fields = (
        "trainee__user__full_name",
        "trainee__user__email",
        "=trainee__nik",
        "cohort__code",
    )
    search_help_text = _("Name, e-mail, the full 16-digit NIK or the intake code.")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_per_page = 50
    # "50 of 49,996": counting the whole table on every filtered page is not worth it.
    show_full_result_count = False
    inlines = [ApplicationEventInline]
    fields = (
        "trainee_link",
        "cohort",
        "status",
        "status_changed_at",
        "motivation",
        "facts",
        "submitted_by",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("job seeker"), ordering="trainee__user__full_name")
    def applicant(self, application):
        return application.trainee.user.get_full_name()

    @admin.display(description=_("NIK"))
    def nik_masked(self, application):
        return application.trainee.nik_masked or "—"

    @admin.display(description=_("Batang"), boolean=True)
    def domicile(self, application):
        return application.trainee.domicile_in_batang

    @admin.display(description=_("education"))
    def education(self, application):
        return application.trainee.get_education_level_display()

    @admin.display(description=_("job seeker"))
    def trainee_link(self, application):
        url = reverse("admin:trainees_trainee_change", args=[application.trainee_id])
        return format_html('<a href="{}">{}</a>', url, application.trainee)
