"""The pages the UI check visits: every public, job-seeker and employer page.

Each entry is checked with axe-core (zero serious/critical violations) at 360×740 and
1280×800, and its HTML with the W3C Nu HTML Checker (zero errors), in Indonesian and
English. `test_every_named_url_is_checked_or_excused` fails when a named URL is in
neither PAGES nor NOT_CHECKED: adding a page to the portal means adding a line here.

Paths are callables evaluated after `seed_demo` ran, so they can point at demo objects.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ANONYMOUS = "anonymous"
JOB_SEEKER = "job_seeker"
EMPLOYER = "employer"
STAFF = "staff"  # training-center staff, for the few staff pages outside the admin


@dataclass(frozen=True)
class UIPage:
    name: str  # short label; also the screenshot's file name
    url_name: str  # the URL name this entry covers ("app:thing-verb")
    path: Callable[[], str]  # evaluated against the seeded database
    who: str = ANONYMOUS  # who is logged in: anonymous, job_seeker, employer or staff
    # A CSS selector of a form to submit: the check then covers the page the submission
    # leads to (usually the form's error state). `fill` types values first (selector, text).
    submit: str | None = None
    fill: tuple[tuple[str, str], ...] = ()
    status: int = 200
    redirects: bool = False  # True when the path legitimately redirects elsewhere
    screenshot: bool = False
    notes: str = field(default="", compare=False)


def _url(name: str, **kwargs) -> Callable[[], str]:
    return lambda: reverse(name, kwargs=kwargs or None)


def _password_reset_confirm_path() -> str:
    """A valid reset link for the demo job seeker (the form behind the e-mailed link)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from tests.e2e.uicheck import demo_user

    user = demo_user(JOB_SEEKER)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # Django swaps the token for "set-password" and redirects: the checker follows it.
    return reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})


def _verify_email_path() -> str:
    from tests.e2e.uicheck import demo_user
    from trainees.services import email_verification_token

    token = email_verification_token(demo_user(JOB_SEEKER))
    return reverse("trainees:verify-email", kwargs={"token": token})


def _unsubscribe_path() -> str:
    from notifications.kinds import Kind
    from notifications.rendering import unsubscribe_token_make
    from tests.e2e.uicheck import demo_user

    user = demo_user(JOB_SEEKER)
    token = unsubscribe_token_make(user_id=user.pk, kind=Kind.GRADUATE_VACANCY_DIGEST)
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def _program_detail_path() -> str:
    from django.utils import timezone

    from courses.selectors import program_list_published

    program = program_list_published(now=timezone.now()).first()
    assert program is not None, "seed_demo made no published program"
    return program.get_absolute_url()


FORM = "main form[method=post]"

PAGES: list[UIPage] = [
    UIPage("home", "home", _url("home"), screenshot=True),
    UIPage("login", "login", _url("login"), screenshot=True),
    UIPage("login-errors", "login", _url("login"), submit=FORM),
    UIPage("password-reset", "password_reset", _url("password_reset")),
    UIPage("password-reset-errors", "password_reset", _url("password_reset"), submit=FORM),
    UIPage("password-reset-done", "password_reset_done", _url("password_reset_done")),
    UIPage(
        "password-reset-confirm",
        "password_reset_confirm",
        _password_reset_confirm_path,
        redirects=True,
    ),
    UIPage(
        "password-reset-invalid",
        "password_reset_confirm",
        _url("password_reset_confirm", uidb64="MQ", token="expired-token"),
    ),
    UIPage("password-reset-complete", "password_reset_complete", _url("password_reset_complete")),
    UIPage("not-found", "", lambda: "/tidak-ada-halaman-ini/", status=404),
    # The catalogue (courses).
    UIPage("catalogue", "courses:program-list", _url("courses:program-list"), screenshot=True),
    UIPage(
        "catalogue-filtered",
        "courses:program-list",
        lambda: reverse("courses:program-list") + "?q=las&education=smk&open=on",
    ),
    UIPage(
        "catalogue-errors",
        "courses:program-list",
        lambda: reverse("courses:program-list") + "?track=no-such-track&page=999",
        status=400,
    ),
    UIPage("program", "courses:program-detail", _program_detail_path, screenshot=True),
    UIPage(
        "program-missing", "courses:program-detail", lambda: "/courses/no-such-program/", status=404
    ),
    # Job seekers: sign-up, verification, profile, documents (trainees).
    UIPage("register", "trainees:register", _url("trainees:register"), screenshot=True),
    UIPage(
        "register-errors", "trainees:register", _url("trainees:register"), submit=FORM, status=400
    ),
    UIPage("verify-email", "trainees:verify-email", _verify_email_path),
    UIPage(
        "verify-email-invalid",
        "trainees:verify-email",
        _url("trainees:verify-email", token="not-a-token"),
        status=400,
    ),
    UIPage(
        "profile", "trainees:profile", _url("trainees:profile"), who=JOB_SEEKER, screenshot=True
    ),
    UIPage(
        "profile-errors",
        "trainees:profile",
        _url("trainees:profile"),
        who=JOB_SEEKER,
        submit="#profile-form",
        fill=(("#id_nik", "1234"), ("#id_graduation_year", "2099")),
        status=400,
    ),
    UIPage(
        "document-upload-errors",
        "trainees:document-upload",
        _url("trainees:profile"),
        who=JOB_SEEKER,
        submit="form[enctype='multipart/form-data']",
        status=400,
    ),
    UIPage("walk-in", "trainees:walk-in-register", _url("trainees:walk-in-register"), who=STAFF),
    UIPage(
        "walk-in-errors",
        "trainees:walk-in-register",
        _url("trainees:walk-in-register"),
        who=STAFF,
        submit=FORM,
        status=400,
    ),
    # E-mail preferences (notifications).
    UIPage("unsubscribe", "notifications:unsubscribe", _unsubscribe_path),
    UIPage(
        "unsubscribe-invalid",
        "notifications:unsubscribe",
        _url("notifications:unsubscribe", token="not-a-token"),
        status=400,
    ),
    # Logged in.
    UIPage("password-change", "password_change", _url("password_change"), who=JOB_SEEKER),
    UIPage(
        "password-change-errors",
        "password_change",
        _url("password_change"),
        who=JOB_SEEKER,
        submit=FORM,
    ),
    UIPage(
        "password-change-done", "password_change_done", _url("password_change_done"), who=JOB_SEEKER
    ),
    UIPage("password-change-employer", "password_change", _url("password_change"), who=EMPLOYER),
]

# Named URLs that are not pages a person reads, each with the reason.
NOT_CHECKED: dict[str, str] = {
    "healthz": "JSON for load balancers",
    "set_language": "POST-only; redirects back (covered by the no-JavaScript test)",
    "logout": "POST-only; redirects to the home page (LOGOUT_REDIRECT_URL)",
    "trainees:verify-email-resend": "POST-only; redirects to the profile",
    "trainees:document-delete": "POST-only; redirects to the profile",
    "trainees:document-download": "the document file itself (PDF/image), not a page",
}

# Namespaces left out as a whole.
NOT_CHECKED_NAMESPACES: dict[str, str] = {
    "admin": "staff-only Django admin, not a public/job-seeker/employer page",
}
