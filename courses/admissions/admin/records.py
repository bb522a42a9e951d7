"""Seat offers and selection runs, read-only: they are written by the services."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from courses.models import SeatOffer, SelectionRun


@admin.register(SeatOffer)
class SeatOfferAdmin(ReadOnlyAdmin):
    """Offers to the reserve list, read-only: they open and close through the services."""

    # The model's URL is the applicant's own answer page: not for staff.
    view_on_site = False

    list_display = ("application", "cohort", "state", "created_at", "expires_at", "closed_at")
    list_filter = ("state", ("cohort", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("application__trainee__user", "application__cohort", "cohort")
    search_fields = ("application__trainee__user__full_name", "cohort__code")
    date_hierarchy = "created_at"
    fields = (
        "application",
        "cohort",
        "state",
        "created_at",
        "expires_at",
        "closed_at",
        "closed_by",
    )


@admin.register(SelectionRun)
class SelectionRunAdmin(ReadOnlyAdmin):
    list_display = ("cohort", "run_at", "run_by", "seats", "accepted", "reserve", "not_accepted")
    list_select_related = ("cohort", "run_by")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    fields = (
        "cohort",
        "seed",
        "seats",
        "local_seats",
        "accepted",
        "reserve",
        "not_accepted",
        "run_by",
        "run_at",
    )
