"""Staff screens of the reports app: the funnel report (with exports) and tracer answers."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, admin_page, view_permission_required
from courses.models import Track
from welfare.selectors import cover_figures

from .desk_admin import DeskReportAdmin
from .exports import funnel_csv_response, funnel_xlsx_response
from .models import DeskReport, FunnelReport, TracerSurvey
from .selectors.funnel import GROUP_COHORT, GROUP_TRACK, funnel_build

EXPORTS = {"csv": funnel_csv_response, "xlsx": funnel_xlsx_response}


class FunnelFilterForm(forms.Form):
    group = forms.ChoiceField(
        label=_("One row per"),
        choices=[(GROUP_TRACK, _("track")), (GROUP_COHORT, _("cohort"))],
        required=False,
    )
    track = forms.ModelChoiceField(
        label=_("Track"),
        queryset=Track.objects.order_by("position", "name_id"),
        required=False,
        empty_label=_("All tracks"),
    )
    year = forms.IntegerField(
        label=_("Training started in (year)"), required=False, min_value=2020, max_value=2100
    )

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored and shown next to its field)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "group": data.get("group") or GROUP_TRACK,
            "track_id": data["track"].pk if data.get("track") else None,
            "year": data.get("year"),
        }


@admin.register(FunnelReport)
class FunnelReportAdmin(ReadOnlyAdmin):
    """The funnel report replaces the change list; there is nothing to add or edit."""

    view_on_site = False  # the proxied application's URL is the applicant's own page

    def get_urls(self):
        return [
            path(
                f"export/{fmt}/",
                self.admin_site.admin_view(self.export_view),
                {"fmt": fmt},
                name=f"reports_funnelreport_export_{fmt}",
            )
            for fmt in EXPORTS
        ] + super().get_urls()

    def _funnel(self, request):
        form = FunnelFilterForm(request.GET or None)
        return form, funnel_build(**form.filters())

    @view_permission_required
    def changelist_view(self, request, extra_context=None):
        form, funnel = self._funnel(request)
        filters = form.filters()
        query = request.GET.urlencode()
        return admin_page(
            self,
            request,
            "admin/reports/funnel_report.html",
            title=_("Funnel report"),
            status=400 if form.is_bound and not form.is_valid() else 200,
            form=form,
            funnel=funnel,
            csv_url=reverse("admin:reports_funnelreport_export_csv")
            + (f"?{query}" if query else ""),
            xlsx_url=reverse("admin:reports_funnelreport_export_xlsx")
            + (f"?{query}" if query else ""),
            today=timezone.localdate(),
            cover=cover_figures(track_id=filters["track_id"], year=filters["year"]),
        )

    @view_permission_required
    def export_view(self, request, fmt):
        _form, funnel = self._funnel(request)
        return EXPORTS[fmt](funnel)


@admin.register(TracerSurvey)
class TracerSurveyAdmin(ReadOnlyAdmin):
    """The tracer's answers, read-only: they are the graduates' own words."""

    list_display = (
        "person",
        "cohort",
        "round",
        "sent_at",
        "answered_at",
        "working",
        "employer_name",
        "salary_band",
        "related_to_training",
    )
    list_filter = ("round", "working", "salary_band", "related_to_training", "sent_at")
    list_select_related = ("application__trainee__user", "application__cohort")
    search_fields = (
        "application__trainee__user__full_name",
        "application__cohort__code",
        "employer_name",
    )
    date_hierarchy = "sent_at"

    @admin.display(description=_("graduate"), ordering="application__trainee__user__full_name")
    def person(self, obj):
        return obj.application.trainee.user.get_full_name()

    @admin.display(description=_("cohort"), ordering="application__cohort__code")
    def cohort(self, obj):
        return obj.application.cohort.code


admin.site.register(DeskReport, DeskReportAdmin)
