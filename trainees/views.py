"""HTTP for job seekers: sign-up, e-mail verification, profile, documents; staff walk-ins.

Parse -> scope -> call a service -> translate its DomainError -> redirect.
"""

import io
import logging

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.codes import VALID_MINUTES, first_login_code_send
from accounts.errors import AccountError
from core.audit import audit_record
from core.choices import DocumentKind
from core.forms import form_add_refusal
from core.fragments import CSRF_PLACEHOLDER, fragment_get_or_build, user_owner
from core.models import AuditEvent
from core.phone import phone_display
from core.ratelimit import ratelimit
from core.uploads import PDF, private_file_response
from notifications.kinds import Channel

from . import selectors, services
from .errors import TraineeError
from .forms import DocumentUploadForm, ProfileForm, SignUpForm, WalkInForm
from .previews import document_preview_png

logger = logging.getLogger(__name__)


# The form field each sign-up error belongs to (None: the whole form).
_SIGNUP_ERROR_FIELDS = {
    TraineeError.EMAIL_TAKEN: "email",
    TraineeError.PHONE_TAKEN: "phone",
    TraineeError.LOGIN_REQUIRED: "phone",
}


def _job_seeker_or_403(request):
    """The signed-in person's profile; staff and employers have none (403)."""
    try:
        return services.trainee_ensure(user=request.user)
    except TraineeError as exc:
        raise PermissionDenied(exc.message) from exc


@login_not_required
# Generous per address: a school lab or the job-fair Wi-Fi signs up many people at once.
@ratelimit(group="signup", key="ip", rate="60/10m")
def register(request):
    """Public: create a job seeker account and log straight in."""
    # Coming from an apply link: back there after sign-up, where the page lists what to do.
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "trainees:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trainee = services.trainee_register(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
                language=get_language() or "id",
                whatsapp_optin=data["whatsapp_optin"],
            )
        except TraineeError as exc:
            form.add_error(_SIGNUP_ERROR_FIELDS.get(exc.code), exc.message)
        else:
            login(request, trainee.user, backend="accounts.backends.EmailBackend")
            if trainee.user.email:
                welcome = _(
                    "Welcome! We sent a verification link to %(email)s. You do not have to "
                    "wait for it: complete your profile now."
                ) % {"email": trainee.user.email}
            else:
                welcome = _(
                    "Welcome! Log in next time with your mobile number %(phone)s. Complete "
                    "your profile now."
                ) % {"phone": phone_display(trainee.user.phone)}
            messages.success(request, welcome)
            return redirect(next_url or "trainees:profile")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": next_url, "title": _("Create an account")}
    return render(request, "trainees/register.html", context, status=status)


@login_not_required
@require_GET
def verify_email(request, token):
    """Public: the link in the verification e-mail (works without being logged in)."""
    title = _("E-mail verification")
    try:
        user = services.email_verify(token=token)
    except TraineeError as exc:
        context = {"error": exc.message, "title": title}
        return render(request, "trainees/verify_email.html", context, status=400)
    context = {"verified_email": user.email, "title": title}
    return render(request, "trainees/verify_email.html", context)


@require_POST
@ratelimit(group="verify-resend", key="user", rate="10/h")
def verification_resend(request):
    """Signed-in: send a new verification link (cool-down of a minute)."""
    try:
        services.email_verification_resend(user=request.user)
    except TraineeError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(
            request, _("A new link is on its way to %(email)s.") % {"email": request.user.email}
        )
    return redirect("trainees:profile")


# How many program titles a document's "needed to apply for" names; at scale hundreds of
# open programs ask for the same document, and listing them all made the profile a
# 20 KB (compressed) page spent mostly on joining and escaping titles.
ASKED_BY_SHOWN = 3


def _asked_by_text(titles: list[str]) -> str:
    shown = ", ".join(titles[:ASKED_BY_SHOWN])
    more = len(titles) - ASKED_BY_SHOWN
    if more <= 0:
        return shown
    return ngettext(
        "%(programs)s and %(count)d more program",
        "%(programs)s and %(count)d more programs",
        more,
    ) % {"programs": shown, "count": more}


def _profile_context(trainee, form, upload_form=None, upload_kind=None):
    documents = selectors.document_list_for_trainee(trainee=trainee)
    by_kind = {d.kind: d for d in documents}
    asked = selectors.documents_asked_by_open_intakes()
    slots = [
        {
            "kind": kind,
            "label": label,
            "required": kind in selectors.REQUIRED_DOCUMENTS,
            # Not needed for every training, but for these programs open now.
            "asked_by": _asked_by_text(
                [] if kind in selectors.REQUIRED_DOCUMENTS else asked.get(kind, [])
            ),
            "document": by_kind.get(kind),
            "form": upload_form
            if upload_kind == kind and upload_form is not None
            else DocumentUploadForm(initial={"kind": kind}, auto_id=f"id_{kind}_%s"),
        }
        for kind, label in DocumentKind.choices
    ]
    return {
        "trainee": trainee,
        "form": form,
        "document_slots": slots,
        "completeness": selectors.trainee_completeness(trainee=trainee, documents=documents),
        "also_asked": [slot for slot in slots if slot["asked_by"] and not slot["document"]],
    }


@never_cache
def profile(request):
    """Job seeker: their own profile, completeness meter and documents."""
    if request.method == "GET" and request.user.is_job_seeker:
        return _profile_unchanged(request)
    trainee = _job_seeker_or_403(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.trainee_profile_update(
                    trainee=trainee,
                    full_name=form.cleaned_data["full_name"],
                    phone=form.cleaned_data["phone"],
                    profile=form.profile_data(),
                    consent=form.cleaned_data["consent"],
                    whatsapp_optin=form.cleaned_data["whatsapp_optin"],
                    channel=form.cleaned_data["channel"],
                )
            except TraineeError as exc:
                field = {
                    TraineeError.NAME_REQUIRED: "full_name",
                    TraineeError.PHONE_REQUIRED: "phone",
                }.get(exc.code, "nik" if exc.code.startswith("nik") else None)
                form_add_refusal(form, field, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("trainees:profile")
        status = 400
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(trainee))
        status = 200
    context = _profile_context(trainee, form)
    context["nik_taken"] = any(e.code == "nik_taken" for e in form.errors.as_data().get("nik", []))
    return _profile_page(request, context, status=status)


def _profile_unchanged(request):
    """The profile as saved: the same page until the person's data changes (their account,
    profile, documents, consent) or the open intakes' asks (the catalogue); the profile
    row is read only when the page is built."""

    def build(fragment) -> str:
        trainee = _job_seeker_or_403(request)
        form = ProfileForm(initial=ProfileForm.initial_for(trainee))
        context = {**_profile_context(trainee, form), "csrf_token": CSRF_PLACEHOLDER}
        return render_to_string("trainees/_profile_body.html", context, request)

    body = fragment_get_or_build(
        request, "profile", user_owner(request.user.pk), build, depends_on=("catalogue",)
    )
    return render(request, "trainees/profile.html", {"body": body})


def _profile_page(request, context, *, status):
    """The profile page with a form that has errors: built for this answer, not cached."""
    body = render_to_string("trainees/_profile_body.html", context, request)
    return render(request, "trainees/profile.html", {"body": body}, status=status)


@require_POST
@ratelimit(group="document-upload", key="user", rate="30/h")
def document_upload(request):
    """Job seeker: upload (or replace) one of their documents."""
    trainee = _job_seeker_or_403(request)
    kind = request.POST.get("kind")
    kind = kind if kind in DocumentKind.values else "upload"
    form = DocumentUploadForm(request.POST, request.FILES, auto_id=f"id_{kind}_%s")
    if form.is_valid():
        document = services.document_upload(
            trainee=trainee,
            kind=form.cleaned_data["kind"],
            uploaded=form.cleaned_data["file"],
            actor=request.user,
        )
        messages.success(
            request, _("%(document)s uploaded.") % {"document": document.get_kind_display()}
        )
        return redirect(reverse("trainees:profile") + f"#document-{document.kind}")
    context = _profile_context(
        trainee, ProfileForm(initial=ProfileForm.initial_for(trainee)), form, kind
    )
    return _profile_page(request, context, status=400)


@require_POST
def document_delete(request, pk):
    """Job seeker: delete one of their own documents (someone else's: 404)."""
    document = selectors.document_get_for_owner(pk=pk, user=request.user)
    services.document_delete(document=document, actor=request.user)
    messages.success(request, _("The document is deleted."))
    return redirect("trainees:profile")


@require_GET
def document_download(request, pk):
    """Owner or staff allowed to see personal data: the file, never cached, never sniffed.

    Images open in a tab; PDFs are always downloaded (opened by the phone's PDF app),
    because browsers do not render PDFs under the sandboxing CSP of private files.
    Staff access is recorded in the personal-data audit trail.
    """
    document = selectors.document_get_for_viewer(pk=pk, user=request.user)
    if document.trainee.user_id != request.user.pk:
        # Access trail for personal data (UU 27/2022): who opened whose document.
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.DOCUMENT_DOWNLOAD,
            subject=document,
            detail={"kind": document.kind, "trainee": document.trainee_id},
            request=request,
        )
    as_attachment = request.GET.get("download") == "1" or document.content_type == PDF
    return private_file_response(
        document.file.open("rb"),
        filename=document.download_name,
        content_type=document.content_type,
        as_attachment=as_attachment,
    )


@require_GET
def document_preview(request, pk):
    """The first page of a PDF document as a picture (the admin's documents panel), for
    the same people as the document itself; audited like opening it. 404 for another
    type or a PDF that cannot be rendered (the panel then shows the link and says so)."""
    document = selectors.document_get_for_viewer(pk=pk, user=request.user)
    png = document_preview_png(document)
    if png is None:
        raise Http404(_("This document has no preview."))
    if document.trainee.user_id != request.user.pk:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.DOCUMENT_DOWNLOAD,
            subject=document,
            detail={"kind": document.kind, "trainee": document.trainee_id, "preview": True},
            request=request,
        )
    return private_file_response(
        io.BytesIO(png),
        filename=f"{document.kind}-{document.trainee_id}-preview.png",
        content_type="image/png",
        as_attachment=False,
    )


def _first_login_code_send(request, user) -> None:
    """Send the walk-in the code that lets them choose their password (never told by staff)."""
    try:
        sent = first_login_code_send(user=user)
    except AccountError as exc:
        messages.warning(request, exc.message)
        return
    messages.info(
        request,
        _(
            "A six-digit code is on its way by %(channel)s. With it and their number (or "
            "e-mail) the person chooses a password at %(url)s; the code works for %(minutes)d "
            "minutes, then “Forgot password” sends a new one."
        )
        % {
            "channel": Channel(sent.channel).label,
            "url": request.build_absolute_uri(reverse("password_reset_code")),
            "minutes": VALID_MINUTES,
        },
    )


@staff_member_required
def walk_in_register(request):
    """Staff: register a walk-in applicant on their behalf (recorded on the profile)."""
    if not request.user.has_perm("trainees.add_trainee"):
        raise PermissionDenied
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trainee = services.trainee_register_walk_in(
                staff=request.user,
                email=data["email"],
                full_name=data["full_name"],
                phone=data["phone"],
                profile=form.profile_data(),
                consent=data["consent"],
                whatsapp_optin=data["whatsapp_optin"],
            )
        except TraineeError as exc:
            field = _SIGNUP_ERROR_FIELDS.get(exc.code)
            field = field or ("nik" if exc.code.startswith("nik") else None)
            form.add_error(field, exc.message)
        else:
            user = trainee.user
            if user.email:
                done = _("%(name)s is registered with the e-mail address %(email)s.") % {
                    "name": user.full_name,
                    "email": user.email,
                }
            else:
                done = _(
                    "%(name)s is registered with the mobile number %(phone)s only (no e-mail)."
                ) % {"name": user.full_name, "phone": phone_display(user.phone)}
            messages.success(request, done)
            _first_login_code_send(request, user)
            return redirect("admin:trainees_trainee_change", trainee.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Register a walk-in applicant")}
    return render(request, "trainees/walk_in.html", context, status=status)
