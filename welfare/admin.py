"""Staff screens of the welfare app: cover policies, the register of each intake (batches,
the batch file, the branch's answer), incidents, funding, allowances and payees.

Who sees what is the group's permissions (`core.roles`): training staff run the register
and the incident log; the batch file with full NIKs also needs the personal-data
permission and is written to the audit trail; placement officers see none of it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import csrf_protect_m
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.admin import (
    EventInline,
    FiguresPageMixin,
    ReadOnlyAdmin,
    admin_page,
    admin_urls,
    view_permission_required,
)
from core.audit import audit_list_for_subject, audit_record
from core.formatting import format_moment
from core.models import AuditEvent
from core.roles import PERSONAL_DATA_PERMISSION
from courses.admissions.rules import ACTIVE_STATUSES
from courses.models import Cohort

from . import selectors, services, spreadsheets
from .errors import CoverError, CoverFileError, PayeeError
from .models import (
    AllowancePayment,
    Coverage,
    CoverageEvent,
    CoverageStatus,
    CoverBatch,
    CoverExportLayout,
    CoverPolicy,
    Incident,
    IntakeFunding,
    Payee,
    PayeeMethod,
)

EXPORT_PERMISSION = "welfare.export_coverage"


def _intake_column(name: str, description):
    """A column of the policy's property `name`, which needs its intake ("—" without)."""

    @admin.display(description=description)
    def column(self, policy):
        return getattr(policy, name) if policy.cohort_id else "—"

    return column


@admin.register(CoverPolicy)
class CoverPolicyAdmin(FiguresPageMixin, admin.ModelAdmin):
    list_display = (
        "cohort",
        "programmes_shown",
        "monthly_contribution",
        "payer",
        "start_rule",
        "starts_on",
        "ends_on",
        "months",
        "register_link",
    )
    list_filter = ("payer", "start_rule")
    list_select_related = ("cohort",)
    search_fields = ("cohort__code",)
    autocomplete_fields = ("cohort",)
    readonly_fields = ("starts_on", "ends_on", "months", "cost_per_trainee")
    fields = (
        "cohort",
        ("jkk", "jkm"),
        "segment",
        "monthly_contribution",
        ("payer", "sponsor_name"),
        "start_rule",
        "accident_phone",
        "starts_on",
        "ends_on",
        "months",
        "cost_per_trainee",
    )

    @admin.display(description=_("programmes"))
    def programmes_shown(self, policy):
        return ", ".join(policy.programmes)

    starts_on = _intake_column("starts_on", _("cover from"))
    ends_on = _intake_column("ends_on", _("cover until"))
    months = _intake_column("months", _("calendar months"))
    cost_per_trainee = _intake_column("cost_per_trainee", _("contribution per trainee (Rp)"))

    figures_template = "admin/welfare/figures.html"
    figures_title = _("Cover on day one and allowances paid")

    def figures_context(self) -> dict:
        return selectors.cover_figures()

    @admin.display(description=_("register"))
    def register_link(self, policy):
        url = reverse("admin:welfare_coverage_cohort", args=[policy.cohort_id])
        return format_html('<a href="{}">{}</a>', url, gettext("Cover register"))


class CoverageEventInline(EventInline):
    model = CoverageEvent


def _may_export_nik(user) -> bool:
    """The branch needs the full NIK: only staff who may see personal data export it."""
    return user.has_perm(EXPORT_PERMISSION) and user.has_perm(PERSONAL_DATA_PERMISSION)


def _personal_data_viewed(request, subject, what: str) -> None:
    """Write to the audit trail that staff opened `subject` with its personal data."""
    audit_record(
        actor=request.user,
        action="personal_data.view",
        subject=subject,
        detail={"what": what},
        request=request,
    )


def _nik_export(request, subject, what, fmt, name, header, rows):
    """A file for the branch with the full NIK, its download written to the audit trail."""
    audit_record(
        actor=request.user,
        action="personal_data.export",
        subject=subject,
        detail={"what": what, "format": fmt, "rows": len(rows), "full_nik": True},
        request=request,
    )
    if fmt == "csv":
        return spreadsheets.csv_response(name, header, rows)
    return spreadsheets.xlsx_response(name, header, rows)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("The branch's answer (CSV or XLSX)"))


@admin.register(Coverage)
class CoverageAdmin(ReadOnlyAdmin):
    list_display = ("person", "cohort", "status", "batch", "kpj_number", "card_received", "nik_ok")
    list_filter = ("status", "card_received", "cohort__training_start")
    list_select_related = ("application__trainee__user", "cohort", "batch__cohort")
    search_fields = ("application__trainee__user__full_name", "cohort__code", "kpj_number")
    inlines = (CoverageEventInline,)
    actions = ("record_card", "register_again")
    fields = (
        "application",
        "cohort",
        "status",
        "batch",
        "kpj_number",
        "card_received",
        "active_from",
        "active_until",
        "refusal_reason",
        "refusal_note",
        "status_changed_at",
    )

    @admin.display(description=_("trainee"), ordering="application__trainee__user__full_name")
    def person(self, coverage):
        user = coverage.application.trainee.user
        return user.get_full_name()

    @admin.display(description=_("NIK matches"), boolean=True)
    def nik_ok(self, coverage):
        return not coverage.application.trainee.has_nik_warning

    def has_change_permission(self, request, obj=None):
        # Actions that move lines need the change permission; fields stay read-only.
        return request.user.has_perm("welfare.change_coverage")

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.action(description=_("Record that the KPJ card arrived"), permissions=["change"])
    def record_card(self, request, queryset):
        self._each(request, queryset, services.coverage_card_record)

    @admin.action(description=_("Register again after a correction"), permissions=["change"])
    def register_again(self, request, queryset):
        self._each(request, queryset, services.coverage_resend)

    def _each(self, request, queryset, service):
        done = refused = 0
        for coverage in queryset:
            try:
                service(coverage=coverage, actor=request.user)
                done += 1
            except CoverError as error:
                refused += 1
                self.message_user(request, f"{coverage}: {error.message}", messages.WARNING)
        self.message_user(
            request,
            gettext("%(done)d done, %(refused)d refused.") % {"done": done, "refused": refused},
        )

    # ----------------------------------------------------------------- the intake pages

    def get_urls(self):
        view = self.admin_site.admin_view
        pages = [
            ("cohorts/", self.cohorts_view, "cohorts"),
            ("cohort/<int:pk>/", self.cohort_view, "cohort"),
            ("cohort/<int:pk>/send/", require_POST(self.send_view), "send"),
            ("cohort/<int:pk>/import/", require_POST(self.import_view), "import"),
        ]
        return (
            admin_urls(self, pages)
            + [
                path(f"{route}{fmt}/", view(file_view), {"fmt": fmt}, name=f"{name}_{fmt}")
                for route, file_view, name in (
                    ("batch/<int:pk>/export/", self.export_view, "welfare_coverage_export"),
                    ("cohort/<int:pk>/ended/", self.ended_view, "welfare_coverage_ended"),
                )
                for fmt in ("csv", "xlsx")
            ]
            + super().get_urls()
        )

    def _cohort(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Cohort.objects.select_related("program"), pk=pk)

    @view_permission_required
    def cohorts_view(self, request):
        """Intakes that start in the coming weeks or train now, with their uncovered count."""
        today = timezone.localdate()
        cohorts = selectors.cohort_list_with_cover(
            queryset=Cohort.objects.filter(training_end__gte=today, is_cancelled=False)
            .select_related("program")
            .annotate(
                needing=Count("applications", filter=Q(applications__status__in=ACTIVE_STATUSES))
            )
            .order_by("training_start", "code")
        )[:200]
        return admin_page(
            self,
            request,
            "admin/welfare/cohorts.html",
            title=gettext("Cover by intake"),
            cohorts=cohorts,
            today=today,
        )

    def cohort_view(self, request, pk, import_form=None, report=None, status=200):
        cohort = self._cohort(request, pk)
        lines = list(selectors.coverage_list_for_cohort(cohort=cohort))
        return admin_page(
            self,
            request,
            "admin/welfare/cohort_cover.html",
            title=gettext("Cover register of %(cohort)s") % {"cohort": cohort.code},
            status=status,
            cohort=cohort,
            policy=selectors.cover_policy_for(cohort=cohort),
            lines=lines,
            uncovered=[line for line in lines if line.status in services.rules.UNCOVERED],
            counts=selectors.coverage_counts(cohort=cohort),
            batches=list(cohort.cover_batches.select_related("sent_by").order_by("number")),
            import_form=import_form or ImportForm(),
            report=report,
            can_send=request.user.has_perm("welfare.add_coverbatch"),
            can_export=_may_export_nik(request.user),
            can_import=request.user.has_perm(EXPORT_PERMISSION)
            and request.user.has_perm("welfare.change_coverage"),
            statuses=CoverageStatus,
        )

    def send_view(self, request, pk):
        cohort = self._cohort(request, pk)
        if not request.user.has_perm("welfare.add_coverbatch"):
            raise PermissionDenied
        try:
            batch = services.cover_batch_send(cohort=cohort, actor=request.user)
        except CoverError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("Batch %(batch)s: %(n)d trainees sent.")
                % {"batch": batch, "n": batch.coverages.count()},
            )
        return redirect("admin:welfare_coverage_cohort", cohort.pk)

    def import_view(self, request, pk):
        cohort = self._cohort(request, pk)
        if not (
            request.user.has_perm(EXPORT_PERMISSION)
            and request.user.has_perm("welfare.change_coverage")
        ):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.cohort_view(request, pk, import_form=form, status=400)
        try:
            rows = spreadsheets.answer_file_read(form.cleaned_data["file"])
        except CoverFileError as error:
            form.add_error("file", error.message)
            return self.cohort_view(request, pk, import_form=form, status=400)
        report = services.cover_answer_import(cohort=cohort, rows=rows, actor=request.user)
        return self.cohort_view(request, pk, report=report)

    @view_permission_required
    def export_view(self, request, pk, fmt):
        if not _may_export_nik(request.user):
            raise PermissionDenied
        batch = get_object_or_404(CoverBatch.objects.select_related("cohort"), pk=pk)
        lines = list(
            batch.coverages.select_related(
                "application__trainee__user", "cohort__program"
            ).order_by("pk")
        )
        policy = selectors.cover_policy_for(cohort=batch.cohort)
        header, rows = spreadsheets.batch_table(lines, policy, full_nik=True)
        name = f"bpjs-{batch.cohort.code}-{batch.number}"
        return _nik_export(request, batch, "cover_batch", fmt, name, header, rows)

    def ended_view(self, request, pk, fmt):
        """The intake's ended lines, for the branch to close the cover of those who left."""
        cohort = self._cohort(request, pk)
        if not _may_export_nik(request.user):
            raise PermissionDenied
        lines = list(selectors.coverage_list_ended(cohort=cohort))
        header, rows = spreadsheets.ended_table(lines)
        name = f"bpjs-{cohort.code}-berakhir"
        return _nik_export(request, cohort, "cover_ended", fmt, name, header, rows)


@admin.register(CoverBatch)
class CoverBatchAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "cohort", "sent_on", "sent_by", "lines")
    list_select_related = ("cohort", "sent_by")
    list_filter = ("sent_on",)
    search_fields = ("cohort__code",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_lines=Count("coverages"))

    @admin.display(description=_("trainees"))
    def lines(self, batch):
        return batch.n_lines


class CoverExportLayoutForm(forms.ModelForm):
    class Meta:
        model = CoverExportLayout
        fields = ("columns",)

    def clean_columns(self):
        columns = [c.strip() for c in self.cleaned_data["columns"].split(",") if c.strip()]
        unknown = [c for c in columns if c not in spreadsheets.COLUMNS]
        if unknown:
            raise forms.ValidationError(
                _("Unknown columns: %(unknown)s. Known: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(spreadsheets.COLUMNS)}
            )
        if not columns:
            raise forms.ValidationError(_("Name at least one column."))
        return ",".join(columns)


@admin.register(CoverExportLayout)
class CoverExportLayoutAdmin(admin.ModelAdmin):
    form = CoverExportLayoutForm
    list_display = ("columns", "updated_at")

    # One layout is used: the first (`spreadsheets.layout_columns`). No "already exists"
    # check in has_add_permission: the admin asks it on every page, for the menu.

    def get_changeform_initial_data(self, request):
        return {"columns": ",".join(spreadsheets.DEFAULT_COLUMNS)}


class ApplicationColumns:
    """The trainee and the intake of a row kept per application (select
    application__trainee__user and application__cohort with the rows)."""

    @admin.display(description=_("trainee"))
    def person(self, row):
        return row.application.trainee.user.get_full_name()

    @admin.display(description=_("cohort"))
    def cohort(self, row):
        return row.application.cohort.code


@admin.register(Incident)
class IncidentAdmin(ApplicationColumns, admin.ModelAdmin):
    list_display = ("occurred_at", "person", "cohort", "setting", "place", "reported_to_bpjs_at")
    list_filter = ("setting", "occurred_at")
    list_select_related = ("application__trainee__user", "application__cohort")
    search_fields = ("application__trainee__user__full_name", "application__cohort__code", "place")
    autocomplete_fields = ("application",)
    readonly_fields = ("recorded_by", "created_at", "print_link")
    date_hierarchy = "occurred_at"

    @admin.display(description=_("print"))
    def print_link(self, incident):
        if not incident.pk:
            return "—"
        url = reverse("admin:welfare_incident_print", args=[incident.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Printable report for the claim"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return (
            admin_urls(self, [("<int:pk>/print/", self.print_view, "print")]) + super().get_urls()
        )

    @view_permission_required
    def print_view(self, request, pk):
        incident = get_object_or_404(
            Incident.objects.select_related(
                "application__trainee__user", "application__cohort__program", "recorded_by"
            ),
            pk=pk,
        )
        policy = selectors.cover_policy_for(cohort=incident.application.cohort)
        coverage = Coverage.objects.filter(application=incident.application).first()
        show_nik = request.user.has_perm(PERSONAL_DATA_PERMISSION)
        if show_nik:
            _personal_data_viewed(request, incident, "incident_print")
        context = {
            "incident": incident,
            "trainee": incident.application.trainee,
            "policy": policy,
            "coverage": coverage,
            "show_nik": show_nik,
            "title": gettext("Incident report"),
        }
        return TemplateResponse(request, "welfare/incident_print.html", context)


class PayeeForm(forms.ModelForm):
    # Set by `PayeeAdmin` when the service refused a save: the same form is shown again
    # with the staff's input and the refusal as its error, and nothing is written.
    refusal: PayeeError | None = None

    class Meta:
        model = Payee
        fields = ("application", "method", "provider", "account_number", "account_name")

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None:
            raise forms.ValidationError(self.refusal.message, code=self.refusal.code)
        return cleaned


def _payee_change_lines(event) -> list[str]:
    """The audit row of a payee change or verification as the lines staff read."""
    detail = event.detail or {}
    if event.action == AuditEvent.Action.PAYEE_VERIFY:
        return [
            gettext("%(provider)s %(account)s verified")
            % {"provider": detail.get("provider", ""), "account": detail.get("account_number", "")}
        ]
    lines = []
    for name, change in (detail.get("changes") or {}).items():
        label = Payee._meta.get_field(name).verbose_name
        if change.get("changed"):
            lines.append(gettext("%(field)s changed") % {"field": label})
            continue
        old, new = change.get("from", ""), change.get("to", "")
        if name == "method":
            old, new = (PayeeMethod(v).label if v else "" for v in (old, new))
        lines.append(
            gettext("%(field)s: %(old)s → %(new)s")
            % {"field": label, "old": old or "—", "new": new or "—"}
        )
    return lines


@admin.register(Payee)
class PayeeAdmin(ApplicationColumns, admin.ModelAdmin):
    """Payee details, masked in the list; the full number for staff with the personal-data
    permission (each opening written to the audit trail). Trainees enter their own on
    their allowance page; staff verify them here. Every save and verification goes
    through the services (refused once paid; a change clears the verification) and is
    written to the audit trail, shown as the payee's history on its page."""

    form = PayeeForm
    list_display = (
        "person",
        "cohort",
        "method",
        "provider",
        "account_shown",
        "account_name",
        "verified",
        "entered_by_trainee",
    )
    list_filter = (("verified_at", admin.EmptyFieldListFilter), "method")
    list_select_related = ("application__trainee__user", "application__cohort", "entered_by")
    search_fields = ("application__trainee__user__full_name", "application__cohort__code")
    autocomplete_fields = ("application",)
    actions = ("verify",)

    @admin.display(description=_("account or phone number"))
    def account_shown(self, payee):
        return payee.account_masked

    @admin.display(description=_("verified"), boolean=True, ordering="verified_at")
    def verified(self, payee):
        return payee.is_verified

    @admin.display(description=_("entered by the trainee"), boolean=True)
    def entered_by_trainee(self, payee):
        return payee.entered_by_id == payee.application.trainee.user_id

    @admin.display(description=_("history"))
    def history(self, payee):
        # The audit rows of this payee's changes and verifications (numbers masked, so
        # every staff member who may open the page may read them), newest first.
        events = audit_list_for_subject(payee).filter(
            action__in=(AuditEvent.Action.PAYEE_CHANGE, AuditEvent.Action.PAYEE_VERIFY)
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    format_moment(event.at, short=True),
                    event.actor_label or "—",
                    event.get_action_display(),
                    format_html_join(
                        "", "{}<br>", ((line,) for line in _payee_change_lines(event))
                    ),
                )
                for event in events
            ),
        )
        if not rows:
            return gettext("No change recorded yet.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            gettext("time"),
            gettext("who"),
            gettext("action"),
            gettext("what"),
            rows,
        )

    @admin.action(description=_("Mark the details as verified"), permissions=["change"])
    def verify(self, request, queryset):
        done = 0
        for payee in queryset:
            services.payee_verify(payee=payee, actor=request.user, request=request)
            done += 1
        self.message_user(request, gettext("%(done)d verified.") % {"done": done})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_payee_refusal", None)
        if refusal is not None:
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form

    def get_fields(self, request, obj=None):
        # The full number only for staff who may see personal data.
        if obj is not None and not request.user.has_perm(PERSONAL_DATA_PERMISSION):
            return (
                "application",
                "method",
                "provider",
                "account_shown",
                "account_name",
                "history",
            )
        if obj is not None:
            return (*super().get_fields(request, obj), "history")
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # The payee belongs to one intake of one trainee: another's is added, not moved.
        if not request.user.has_perm(PERSONAL_DATA_PERMISSION):
            return ("application", "account_shown", "history")
        return ("application", "history")

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # Saving: the service's durable transaction is the one transaction (Django's own
        # would wrap it); nothing else on the page writes. A refusal shows the form
        # again, with the staff's input and the reason, through `PayeeForm.refusal`.
        try:
            return self._changeform_view(request, object_id, form_url, extra_context)
        except PayeeError as error:
            request._payee_refusal = error
            return self._changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        payee = getattr(response, "context_data", {}).get("original")
        if (
            request.method == "GET"
            and payee is not None
            and request.user.has_perm(PERSONAL_DATA_PERMISSION)
        ):
            _personal_data_viewed(request, payee, "payee")
        return response

    def save_model(self, request, obj, form, change):
        # The form put the staff's input on `obj` (a number they may not see stays the
        # stored one); the service keeps it, or refuses (caught in `changeform_view`).
        saved = services.payee_save(
            application=obj.application,
            method=obj.method,
            provider=obj.provider,
            account_number=obj.account_number,
            account_name=obj.account_name,
            actor=request.user,
            request=request,
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(IntakeFunding)
class IntakeFundingAdmin(admin.ModelAdmin):
    list_display = (
        "cohort",
        "source",
        "budget_line",
        "allowance_rule",
        "allowance_amount",
        "applicants",
        "viability",
        "allowance_links",
    )
    list_filter = ("source", "allowance_rule")
    list_select_related = ("cohort",)
    search_fields = ("cohort__code", "budget_line")
    autocomplete_fields = ("cohort",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_applicants=Count(
                    "cohort__applications",
                    filter=~Q(cohort__applications__status="withdrawn"),
                )
            )
        )

    @admin.display(description=_("applicants"))
    def applicants(self, funding):
        return funding.n_applicants

    @admin.display(description=_("viable"), boolean=True)
    def viability(self, funding):
        return not selectors.funding_viability_warning(
            funding=funding, applicants=funding.n_applicants
        )

    @admin.display(description=_("allowances"))
    def allowance_links(self, funding):
        url = reverse("admin:welfare_intakefunding_allowances", args=[funding.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Payment list"))

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            short = [
                f.cohort.code
                for f in cl.result_list
                if selectors.funding_viability_warning(funding=f, applicants=f.n_applicants)
            ]
            if short:
                self.message_user(
                    request,
                    gettext(
                        "Short of the minimum applicants (decide on cancelling or postponing): "
                        "%(cohorts)s"
                    )
                    % {"cohorts": ", ".join(short)},
                    messages.WARNING,
                )
        return response

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/allowances/",
                view(self.allowances_view),
                {"fmt": "html"},
                name="welfare_intakefunding_allowances",
            ),
            path(
                "<int:pk>/allowances/xlsx/",
                view(self.allowances_view),
                {"fmt": "xlsx"},
                name="welfare_intakefunding_allowances_xlsx",
            ),
            path(
                "<int:pk>/allowances/print/",
                view(self.allowances_view),
                {"fmt": "print"},
                name="welfare_intakefunding_allowances_print",
            ),
        ] + super().get_urls()

    @view_permission_required
    def allowances_view(self, request, pk, fmt):
        funding = get_object_or_404(IntakeFunding.objects.select_related("cohort__program"), pk=pk)
        lines = selectors.allowance_list_for_cohort(cohort=funding.cohort)
        full = request.user.has_perm(PERSONAL_DATA_PERMISSION)
        if fmt == "xlsx":
            if not full:
                raise PermissionDenied
            audit_record(
                actor=request.user,
                action="personal_data.export",
                subject=funding,
                detail={"what": "allowance_list", "rows": len(lines)},
                request=request,
            )
            header = [
                gettext("No."),
                gettext("name"),
                gettext("days present"),
                gettext("attendance %"),
                gettext("amount (Rp)"),
                gettext("bank or e-wallet"),
                gettext("account or phone number"),
                gettext("account holder"),
                gettext("signature"),
            ]
            rows = [
                [
                    index,
                    line.application.trainee.user.full_name,
                    line.days_present,
                    line.attendance_percent,
                    int(line.amount),
                    line.payee.provider if line.payee else "",
                    line.payee.account_number if line.payee else "",
                    line.payee.account_name if line.payee else "",
                    "",
                ]
                for index, line in enumerate(lines, start=1)
            ]
            return spreadsheets.xlsx_response(f"uang-saku-{funding.cohort.code}", header, rows)
        template = (
            "welfare/allowance_sheet_print.html"
            if fmt == "print"
            else "admin/welfare/allowances.html"
        )
        return admin_page(
            self,
            request,
            template,
            title=gettext("Allowances of %(cohort)s") % {"cohort": funding.cohort.code},
            funding=funding,
            lines=lines,
            total=sum((line.amount for line in lines), start=0),
            paid_total=sum((line.paid.amount for line in lines if line.paid), start=0),
            full=full,
        )


@admin.register(AllowancePayment)
class AllowancePaymentAdmin(admin.ModelAdmin):
    list_display = ("application", "amount", "paid_on", "recorded_by")
    list_select_related = ("application__trainee__user", "application__cohort", "recorded_by")
    search_fields = ("application__trainee__user__full_name", "application__cohort__code")
    autocomplete_fields = ("application",)
    readonly_fields = ("recorded_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
