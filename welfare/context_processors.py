"""Welfare on pages of another app: the cover notice on the job seeker's dashboard and
the cover panel on the cohort's admin page.

Both pages belong to `courses`, which must not read welfare; the frame
(`templates/base.html`) shows `cover_notice` when this processor finds the dashboard
being rendered, and the cohort's change form (`admin/courses/cohort/change_form.html`)
shows `cohort_cover` for staff who may read the register. Lazy: any other page costs
nothing, the dashboard two queries (cover, allowance account), the cohort page four.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import (
    application_list_for_payee,
    cohort_cover_panel,
    coverage_list_active_for_user,
)

PAGES = frozenset({"courses:dashboard"})
COHORT_PAGE = "admin:courses_cohort_change"


def cover_notice(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    if match.view_name == COHORT_PAGE:
        return _cohort_panel(request, match)
    if match.view_name not in PAGES:
        return {}
    user = request.user
    return {
        "cover_notice": SimpleLazyObject(lambda: coverage_list_active_for_user(user=user)),
        "allowance_notice": SimpleLazyObject(lambda: _allowance_missing(user)),
    }


def _allowance_missing(user) -> list:
    """The person's intakes paying an allowance that still lack the account to pay into."""
    return [
        a
        for a in application_list_for_payee(user=user)
        if not hasattr(a, "payee") and not hasattr(a, "allowance_payment")
    ]


def _cohort_panel(request, match):
    object_id = str(match.kwargs.get("object_id", ""))
    if not object_id.isdigit() or not request.user.has_perm("welfare.view_coverage"):
        return {}
    return {"cohort_cover": SimpleLazyObject(lambda: cohort_cover_panel(cohort_id=int(object_id)))}
