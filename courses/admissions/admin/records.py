"""Seat offers and selection runs, read-only: they are written by the services."""

from __future__ import annotations

from django.contrib import admin

from courses.models import SeatOffer, SelectionRun


@admin.register(SeatOffer)
class SeatOfferAdmin(admin.ModelAdmin):
    """Offers to the reserve list, read-only: they open and close through the services."""

    list_display = ("application", "cohort", "state", "created_at", "expires_at", "closed_at")
    list_filter = ("state", ("cohort", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("application__trainee__user", "application__cohort", "cohort")
    search_fields = ("application__trainee__user__full_name", "cohort__code")
    date_hierarchy = "created_at"
    readonly_fields = (
        "application",
        "cohort",
        "state",
        "created_at",
        "expires_at",
        "closed_at",
        "closed_by",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SelectionRun)
class SelectionRunAdmin(admin.ModelAdmin):
    list_display = ("cohort", "run_at", "run_by", "seats", "accepted", "reserve", "not_accepted")
    list_select_related = ("cohort", "run_by")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    readonly_fields = (
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
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
