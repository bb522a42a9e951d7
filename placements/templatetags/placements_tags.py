"""Template tags other apps' pages use to show placements data without importing it.

`{% load placements_tags %}{% my_job_applications %}` renders the signed-in job seeker's
job applications (the /me/ dashboard of the courses app includes it), so the courses
app never imports placements (dependencies point placements -> courses).
"""

from django import template

from accounts.models import User

from .. import selectors

register = template.Library()

# The dashboard shows the latest few; the full list is /me/jobs/.
DASHBOARD_LIMIT = 5


@register.inclusion_tag("placements/partials/me_job_applications.html", takes_context=True)
def my_job_applications(context):
    user = context.get("user")
    if user is None or not user.is_authenticated or user.role != User.Role.JOB_SEEKER:
        return {"job_applications": [], "hidden": True}
    applications = list(
        selectors.job_application_list_for_person(person=user)[: DASHBOARD_LIMIT + 1]
    )
    return {
        "job_applications": applications[:DASHBOARD_LIMIT],
        "more": len(applications) > DASHBOARD_LIMIT,
    }
