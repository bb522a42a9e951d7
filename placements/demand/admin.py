"""Staff UI of demand and pledges: the demand summary, pledges and their figures.

Statuses are read-only; they move through actions that call the services and report,
row by row, what was done and what was refused. Composed into `placements.admin`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin import (
    EventInline,
    FiguresPageMixin,
    ReadOnlyInline,
    admin_action_asking,
    admin_action_page,
    admin_action_per_row,
    admin_page,
    admin_urls,
    view_permission_required,
)

from ..forms import RejectForm
from . import rules, selectors, services
from .models import DemandStatement, Pledge, PledgeEvent, PledgeInvitation


def plan_intake_urls(row) -> list[tuple[str, str]]:
    """(label, link) to the cohort add form, filled from a row of the demand summary.

    One per program the statements named (that program, its people wanted as seats);
    else one for the track with the seats not covered (staff choose the program).
    """
    add = reverse("admin:courses_cohort_add")
    links = [
        (title, f"{add}?{urlencode({'program': pk, 'capacity': min(wanted, 500)})}")
        for pk, title, wanted in row.programs
    ]
    if not links and row.gap:
        links.append((str(row.track.name), f"{add}?{urlencode({'capacity': min(row.gap, 500)})}"))
    return links


@admin.register(DemandStatement)
class DemandStatementAdmin(admin.ModelAdmin):
    list_display = (
        "employer",
        "track",
        "program",
        "quarter",
        "headcount",
        "min_education",
        "wage_min",
        "cohort",
    )
    list_filter = ("quarter", "track", "min_education")
    search_fields = ("employer__name", "skills", "program__title")
    list_select_related = ("employer", "track", "program", "cohort")
    autocomplete_fields = ("employer", "program", "cohort")
    filter_horizontal = ("units",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    actions = ("link_intake",)

    def get_urls(self):
        return admin_urls(self, [("summary/", self.summary_view, "summary")]) + super().get_urls()

    @view_permission_required
    def summary_view(self, request):
        """Demand summed by track and quarter beside the seats already planned."""
        rows = selectors.demand_summary()
        for row in rows:
            row.plan_links = plan_intake_urls(row)
        return admin_page(
            self,
            request,
            "admin/placements/demandstatement/summary.html",
            title=_("Demand by track and quarter"),
            rows=rows,
            can_add_cohort=request.user.has_perm("courses.add_cohort"),
        )

    @admin.action(description=_("Record the intake that answers the selected demand…"))
    def link_intake(self, request, queryset):
        from django import forms

        from courses.models import Cohort

        class LinkForm(forms.Form):
            cohort = forms.ModelChoiceField(
                label=_("Intake"),
                queryset=Cohort.objects.select_related("program").order_by("-training_start"),
                required=False,
            )

        form = LinkForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            count = services.demand_link_cohort(
                statements=list(queryset), cohort=form.cleaned_data["cohort"]
            )
            self.message_user(request, _("Linked %(count)s statements.") % {"count": count})
            return None
        return admin_action_page(
            self,
            request,
            title=_("Record the intake that answers this demand"),
            form=form,
            objects=queryset,
            action="link_intake",
            submit_label=_("Save"),
        )


class PledgeEventInline(EventInline):
    model = PledgeEvent


class PledgeInvitationInline(ReadOnlyInline):
    model = PledgeInvitation
    fields = ("created_at", "person", "message", "created_by")


@admin.register(Pledge)
class PledgeAdmin(FiguresPageMixin, admin.ModelAdmin):
    list_display = (
        "employer",
        "cohort",
        "kind",
        "seats",
        "status",
        "hired_shown",
        "local_shown",
        "start_until",
    )
    list_filter = ("status", "kind", "cohort__program__track")
    search_fields = ("employer__name", "cohort__code", "cohort__program__title")
    list_select_related = ("employer", "cohort")
    readonly_fields = (
        "employer",
        "cohort",
        *rules.PLEDGE_FIELDS,
        "status",
        "status_changed_at",
        "hired_count",
        "local_hired_count",
        "invited_count",
        "graduates_count",
        "created_by",
        "created_at",
    )
    inlines = (PledgeInvitationInline, PledgeEventInline)
    actions = ("accept", "decline", "settle")

    def get_queryset(self, request):
        return selectors.pledge_annotate_counts(super().get_queryset(request))

    def has_add_permission(self, request):
        # Employers offer pledges; staff accept, decline and settle them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Pledges kept (hired ÷ seats pledged) per employer and per track, local share.
    figures_template = "admin/placements/pledge/figures.html"
    figures_title = _("Pledges kept")

    def figures_context(self) -> dict:
        return {
            "by_employer": selectors.pledge_kept_by_employer(),
            "by_track": selectors.pledge_kept_by_track(),
            "broken_twice": selectors.employer_list_broken_twice(),
        }

    @admin.display(description=_("hired (live)"), ordering="live_hired")
    def hired_shown(self, pledge):
        if pledge.kind == Pledge.Kind.INTERVIEW_ALL:
            return _("%(invited)s of %(graduates)s invited") % {
                "invited": pledge.live_invited,
                "graduates": pledge.live_graduates,
            }
        return f"{pledge.live_hired} / {pledge.seats}"

    @admin.display(description=_("local hires (live)"))
    def local_shown(self, pledge):
        committed = pledge.local_committed
        if committed is None:
            return pledge.live_local_hired
        return f"{pledge.live_local_hired} / {committed}"

    accept = admin_action_per_row(
        services.pledge_accept,
        "pledge",
        description=_("Accept the selected pledges"),
        done_message=_("Accepted: %(items)s."),
    )
    settle = admin_action_per_row(
        services.pledge_settle,
        "pledge",
        description=_("Settle the selected pledges now (count the hires)"),
        done_message=_("Settled: %(items)s."),
    )

    @admin.action(description=_("Decline the selected pledges (with a reason)…"))
    def decline(self, request, queryset):
        return admin_action_asking(
            self,
            request,
            queryset,
            form_class=RejectForm,
            run=lambda p, data: services.pledge_decline(
                pledge=p, actor=request.user, reason=data["reason"]
            ),
            done_message=_("Declined: %(items)s."),
            title=_("Decline pledges"),
            action="decline",
            submit_label=_("Decline"),
        )
