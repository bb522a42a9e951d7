"""Row locks of the courses app."""

from __future__ import annotations

from courses.models import (
    Cohort,
    SeatOffer,
)


def cohort_lock(cohort_id: int) -> Cohort:
    return Cohort.objects.select_for_update().select_related("program").get(pk=cohort_id)


def seat_offer_lock(offer_id: int) -> tuple[Cohort, SeatOffer]:
    cohort_id = SeatOffer.objects.values_list("cohort_id", flat=True).get(pk=offer_id)
    cohort = cohort_lock(cohort_id)
    offer = (
        SeatOffer.objects.select_for_update(of=("self",))
        .select_related("application__trainee__user")
        .get(pk=offer_id)
    )
    return cohort, offer
