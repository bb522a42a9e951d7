"""Pledges on the pages of another app: the program page and the apply page.

Those pages belong to `courses`, which must not read placements; the frame
(`templates/base.html`) shows `public_pledges` when this processor finds one of them
being rendered. The list is lazy: any other page costs nothing, those two one query.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .demand import selectors

# URL name -> how to find the pledges it shows from the URL's arguments.
PAGES = {
    "courses:program-detail": lambda kw: selectors.pledge_list_public_for_program(slug=kw["slug"]),
    "courses:cohort-apply": lambda kw: selectors.pledge_list_public_for_cohort(code=kw["code"]),
}


def public_pledges(request):
    match = getattr(request, "resolver_match", None)
    finder = PAGES.get(match.view_name) if match is not None else None
    if finder is None:
        return {}
    kwargs = dict(match.kwargs)
    return {"public_pledges": SimpleLazyObject(lambda: finder(kwargs))}
