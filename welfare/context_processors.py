"""Welfare on pages of another app: the cover notices on the job seeker's dashboard and
the cover panel on the cohort's admin page.

Both pages belong to `courses`, which must not read welfare; the frame
(`templates/base.html`) shows `welfare_notices` when this processor finds the dashboard
being rendered, and the cohort's change form (`admin/courses/cohort/change_form.html`)
shows `cohort_cover` for staff who may read the register. Lazy: any other page costs
nothing. The dashboard's notices (active cover, an allowance account still to give) are
cached per person like the dashboard's body (core.fragments; `welfare/fragments.py` says
what makes them stale): a hit costs no query, a miss three. The cohort page: four.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from core.fragments import cohort_subject, fragment_get_or_build, user_owner

from .selectors import (
    application_list_for_payee,
    cohort_cover_panel,
    cohort_ids_for_user,
    coverage_list_active_for_user,
)

PAGES = frozenset({"courses:dashboard"})
COHORT_PAGE = "admin:courses_cohort_change"
# The program titles the notices show come from the catalogue (core.cache's data name).
CATALOGUE = "catalogue"


def cover_notice(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    if match.view_name == COHORT_PAGE:
        return _cohort_panel(request, match)
    if match.view_name not in PAGES or not request.user.is_authenticated:
        return {}
    return {"welfare_notices": SimpleLazyObject(lambda: _notices(request))}


def _notices(request) -> str:
    user = request.user

    def build(fragment) -> str:
        # An intake's policy or funding is not the person's row: depend on each intake.
        fragment.depend_on(*(cohort_subject(pk) for pk in cohort_ids_for_user(user=user)))
        context = {
            "covers": coverage_list_active_for_user(user=user),
            "allowance_missing": _allowance_missing(user),
        }
        return render_to_string("welfare/partials/dashboard_notices.html", context)

    html = fragment_get_or_build(
        request, "welfare-notices", user_owner(user.pk), build, depends_on=(CATALOGUE,)
    )
    return html if html.strip() else ""


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
