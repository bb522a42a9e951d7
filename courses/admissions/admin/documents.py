"""The documents beside an application in the admin: a preview of each document the
intake asks for (images inline, a PDF's first page as a picture beside its link), served only through the private
document view (staff with the personal-data permission; each opening audited), and the
one-step decision: documents verified, or refused with the reason the person reads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import admin_urls
from core.choices import DocumentKind
from core.roles import PERSONAL_DATA_PERMISSION
from courses.admissions.services.staff import application_staff_transition
from courses.errors import ApplicationError
from courses.models import Application, ApplicationStatus
from trainees.previews import document_preview_png
from trainees.selectors import document_list_for_trainee

S = ApplicationStatus
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
PDF = "application/pdf"


class DocumentsRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the applicant reads"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        max_length=1000,
    )


def application_documents(application: Application) -> list[dict]:
    """Each document the intake asks for, with the person's upload (or None) and how to
    show it: an image inline, a PDF's first page as a picture beside its link (or the
    link and a message when the page cannot be rendered)."""
    uploads = {d.kind: d for d in document_list_for_trainee(trainee=application.trainee)}
    asked = application.cohort.program.required_documents or []
    rows = []
    for kind in [k for k in DocumentKind.values if k in asked]:
        document = uploads.get(kind)
        url = reverse("trainees:document-download", args=[document.pk]) if document else ""
        is_pdf = bool(document) and document.content_type == PDF
        # Rendered (and cached) now, so the page knows whether the picture exists.
        preview = is_pdf and document_preview_png(document) is not None
        rows.append(
            {
                "label": DocumentKind(kind).label,
                "document": document,
                "url": url,
                "is_image": bool(document) and document.content_type in IMAGE_TYPES,
                "is_pdf": is_pdf,
                "preview_url": (
                    reverse("trainees:document-preview", args=[document.pk]) if preview else ""
                ),
            }
        )
    return rows


class ApplicationDocumentsAdminMixin:
    """Mixed into the applications admin: the documents panel and its two decisions."""

    change_form_template = "admin/courses/application/change_form.html"

    def get_urls(self):
        pages = [("<int:pk>/documents/<str:decision>/", self.documents_decide_view, "documents")]
        return admin_urls(self, pages) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        application = (
            Application.objects.select_related("cohort__program", "trainee__user")
            .filter(pk=object_id)
            .first()
        )
        if application is not None and request.user.has_perm(PERSONAL_DATA_PERMISSION):
            extra_context["documents"] = application_documents(application)
            extra_context["documents_decidable"] = (
                application.status == S.SUBMITTED
                and self.has_change_permission(request, application)
            )
            extra_context["refuse_form"] = DocumentsRefuseForm()
        return super().change_view(request, object_id, form_url, extra_context)

    def documents_decide_view(self, request, pk, decision):
        """POST: documents verified, or refused with a reason; back to the application."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        application = get_object_or_404(
            Application.objects.select_related("trainee__user", "cohort"), pk=pk
        )
        if not (
            self.has_change_permission(request, application)
            and request.user.has_perm(PERSONAL_DATA_PERMISSION)
        ):
            raise PermissionDenied
        change_url = reverse("admin:courses_application_change", args=[application.pk])
        name = application.trainee.user.get_full_name()
        try:
            if decision == "verify":
                application_staff_transition(
                    application=application, to=S.DOCUMENTS_VERIFIED, actor=request.user
                )
                done = gettext("Documents of %(name)s verified; they are told.") % {"name": name}
            elif decision == "refuse":
                form = DocumentsRefuseForm(request.POST)
                if not form.is_valid():
                    self.message_user(
                        request,
                        gettext("Give the reason the applicant reads."),
                        messages.ERROR,
                    )
                    return HttpResponseRedirect(change_url)
                application_staff_transition(
                    application=application,
                    to=S.NOT_ACCEPTED,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                done = gettext("Documents of %(name)s refused; they are told why.") % {"name": name}
            else:
                raise PermissionDenied
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.message_user(request, done, messages.SUCCESS)
        # Back to the intake's queue of applications still to check.
        return HttpResponseRedirect(
            reverse("admin:courses_application_changelist")
            + f"?cohort__id__exact={application.cohort_id}&status__exact={S.SUBMITTED}"
        )
