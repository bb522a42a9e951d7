"""The placement tracer's answer links, made when the mail is sent (see notifications.links)."""

from django.urls import reverse

from notifications.links import SecretLinkUnavailable

from .models import TracerSurvey
from .selectors.tracer import tracer_token_make


def tracer_survey_links(notification) -> dict[str, str]:
    survey = TracerSurvey.objects.filter(pk=notification.context.get("survey")).first()
    if survey is None:
        raise SecretLinkUnavailable("the survey no longer exists")
    url = reverse("reports:tracer-answer", kwargs={"token": tracer_token_make(survey)})
    return {
        "url": url,
        "url_working": f"{url}?answer=working",
        "url_not_working": f"{url}?answer=not_working",
    }
