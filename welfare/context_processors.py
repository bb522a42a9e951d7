"""The cover notice on the job seeker's dashboard, a page of another app.

The dashboard belongs to `courses`, which must not read welfare; the frame
(`templates/base.html`) shows `cover_notice` when this processor finds the dashboard
being rendered. Lazy: any other page costs nothing, the dashboard one query.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import coverage_list_active_for_user

PAGES = frozenset({"courses:dashboard"})


def cover_notice(request):
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in PAGES:
        return {}
    user = request.user
    return {"cover_notice": SimpleLazyObject(lambda: coverage_list_active_for_user(user=user))}
