"""The pages the UI check visits: every public, job-seeker and employer page.

Each entry is checked with axe-core (zero serious/critical violations) at 360×740 and
1280×800, and its HTML with the W3C Nu HTML Checker (zero errors), in Indonesian and
English. `test_every_named_url_is_checked_or_excused` fails when a named URL is in
neither PAGES nor NOT_CHECKED: adding a page to the portal means adding a line here.

Paths are callables of the check's Scenario (tests/e2e/ui_scenario.py), evaluated after
`seed_demo` ran, so they can point at demo objects.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

ANONYMOUS = "anonymous"
JOB_SEEKER = "job_seeker"
EMPLOYER = "employer"
STAFF = "staff"  # training-center staff, for the few staff pages outside the admin
TRAINER = "trainer"  # an instructor with an intake in training today


@dataclass(frozen=True)
class UIPage:
    name: str  # short label; also the screenshot's file name
    url_name: str  # the URL name this entry covers ("app:thing-verb")
    # The path, from the check's Scenario (tests/e2e/ui_scenario.py: demo people and
    # objects on top of seed_demo), e.g. `lambda s: s.vacancy_open.get_absolute_url()`.
    path: Callable[..., str]
    who: str = ANONYMOUS  # who is logged in: anonymous, job_seeker, employer, trainer, staff
    # A CSS selector of a form to submit: the check then covers the page the submission
    # leads to (usually the form's error state). `fill` types values first (selector, text).
    submit: str | None = None
    fill: tuple[tuple[str, str], ...] = ()
    status: int = 200
    redirects: bool = False  # True when the path legitimately redirects elsewhere
    screenshot: bool = False
    notes: str = field(default="", compare=False)


def _url(name: str, **kwargs) -> Callable[..., str]:
    return lambda scenario: reverse(name, kwargs=kwargs or None)


def _obj_url(name: str, attribute: str) -> Callable[..., str]:
    """The URL `name` for the pk of the scenario's object `attribute`."""
    return lambda scenario: reverse(name, kwargs={"pk": getattr(scenario, attribute).pk})


def _credential_path(status: str) -> str:
    """The public check of a seed_demo credential in `status`."""
    from django.utils import timezone

    from courses.models import Credential

    credential = (
        Credential.objects.annotate_status(today=timezone.localdate())
        .filter(status_now=status)
        .order_by("pk")
        .first()
    )
    return credential.get_absolute_url()


def _password_reset_confirm_path(scenario) -> str:
    """A valid reset link for the demo job seeker (the form behind the e-mailed link)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = scenario.job_seeker
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # Django swaps the token for "set-password" and redirects: the checker follows it.
    return reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})


def _verify_email_path(scenario) -> str:
    from trainees.services import email_verification_token

    token = email_verification_token(scenario.job_seeker)
    return reverse("trainees:verify-email", kwargs={"token": token})


def _unsubscribe_path(scenario) -> str:
    from notifications.kinds import Kind
    from notifications.rendering import unsubscribe_token_make

    user = scenario.job_seeker
    token = unsubscribe_token_make(user_id=user.pk, kind=Kind.GRADUATE_VACANCY_DIGEST)
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def _tracer_path(scenario) -> str:
    from reports.selectors.tracer import tracer_token_make

    token = tracer_token_make(scenario.tracer_survey)
    return reverse("reports:tracer-answer", kwargs={"token": token})


FORM = "main form[method=post]"

PAGES: list[UIPage] = [
    UIPage("home", "home", _url("home"), screenshot=True),
    UIPage("login", "login", _url("login"), screenshot=True),
    UIPage("login-errors", "login", _url("login"), submit=FORM),
    UIPage("password-reset", "password_reset", _url("password_reset")),
    UIPage(
        "password-reset-errors",
        "password_reset",
        _url("password_reset"),
        submit=FORM,
        status=400,
    ),
    UIPage("password-reset-done", "password_reset_done", _url("password_reset_done")),
    UIPage("password-reset-code", "password_reset_code", _url("password_reset_code")),
    UIPage(
        "password-reset-code-errors",
        "password_reset_code",
        _url("password_reset_code"),
        submit=FORM,
        fill=(("#id_login", "0812-3456-7890"), ("#id_code", "12345")),
        status=400,
    ),
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
    UIPage("not-found", "", lambda s: "/tidak-ada-halaman-ini/", status=404),
    # The catalogue (courses).
    UIPage("catalogue", "courses:program-list", _url("courses:program-list"), screenshot=True),
    UIPage(
        "catalogue-filtered",
        "courses:program-list",
        lambda s: reverse("courses:program-list") + "?q=las&education=smk&open=on",
    ),
    UIPage(
        "catalogue-errors",
        "courses:program-list",
        lambda s: reverse("courses:program-list") + "?track=no-such-track&page=999",
        status=400,
    ),
    UIPage(
        "program",
        "courses:program-detail",
        lambda s: s.program.get_absolute_url(),
        screenshot=True,
    ),
    UIPage(
        "program-withdrawn",
        "courses:program-detail",
        lambda s: s.withdrawn_application.cohort.program.get_absolute_url(),
        who=JOB_SEEKER,
        notes="her withdrawn application: the note instead of the apply button",
    ),
    UIPage(
        "program-missing",
        "courses:program-detail",
        lambda s: "/courses/no-such-program/",
        status=404,
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
    UIPage("work-queue", "work-queue", _url("work-queue"), who=STAFF),
    UIPage(
        "walk-in-errors",
        "trainees:walk-in-register",
        _url("trainees:walk-in-register"),
        who=STAFF,
        submit=FORM,
        status=400,
    ),
    # Applying for training (courses).
    UIPage(
        "cohort-apply",
        "courses:cohort-apply",
        lambda s: reverse(
            "courses:cohort-apply",
            kwargs={"slug": s.cohort_open.program.slug, "code": s.cohort_open.code},
        ),
        who=JOB_SEEKER,
        screenshot=True,
    ),
    UIPage(
        "cohort-apply-blocked",
        "courses:cohort-apply",
        lambda s: reverse(
            "courses:cohort-apply",
            kwargs={"slug": s.cohort_blocked.program.slug, "code": s.cohort_blocked.code},
        ),
        who=JOB_SEEKER,
    ),
    UIPage(
        "cohort-apply-errors",
        "courses:cohort-apply",
        lambda s: reverse(
            "courses:cohort-apply",
            kwargs={"slug": s.cohort_open.program.slug, "code": s.cohort_open.code},
        ),
        who=JOB_SEEKER,
        submit=FORM,
        fill=(("#id_motivation", "Terlalu pendek"),),
        status=400,
    ),
    UIPage(
        "dashboard", "courses:dashboard", _url("courses:dashboard"), who=JOB_SEEKER, screenshot=True
    ),
    UIPage("allowance", "welfare:payee-list", _url("welfare:payee-list"), who=JOB_SEEKER),
    UIPage(
        "allowance-account",
        "welfare:payee-edit",
        _obj_url("welfare:payee-edit", "allowance_application"),
        who=JOB_SEEKER,
    ),
    UIPage(
        "allowance-account-errors",
        "welfare:payee-edit",
        _obj_url("welfare:payee-edit", "allowance_application"),
        who=JOB_SEEKER,
        submit=FORM,
        fill=(("#id_account_number", "12ab"),),
        status=400,
    ),
    UIPage(
        "application",
        "courses:application-detail",
        _obj_url("courses:application-detail", "application"),
        who=JOB_SEEKER,
    ),
    UIPage(
        "application-withdraw",
        "courses:application-withdraw",
        _obj_url("courses:application-withdraw", "application"),
        who=JOB_SEEKER,
    ),
    # Selection and training (courses).
    UIPage(
        "seat-offer",
        "courses:offer-detail",
        _obj_url("courses:offer-detail", "seat_offer"),
        who=JOB_SEEKER,
    ),
    UIPage(
        "certificate-print",
        "courses:certificate-print",
        _obj_url("courses:certificate-print", "certificate"),
        who=JOB_SEEKER,
    ),
    UIPage("certificate-lookup", "courses:certificate-lookup", _url("courses:certificate-lookup")),
    UIPage(
        "certificate-lookup-bad-code",
        "courses:certificate-lookup",
        lambda s: reverse("courses:certificate-lookup") + "?code=%3C%3E",
        status=400,
    ),
    UIPage(
        "certificate-verify",
        "courses:certificate-verify",
        lambda s: reverse("courses:certificate-verify", kwargs={"code": s.certificate.code}),
    ),
    UIPage(
        "certificate-unknown",
        "courses:certificate-verify",
        lambda s: reverse("courses:certificate-verify", kwargs={"code": "ZZZZZZZZZZ"}),
        status=404,
    ),
    # Certification (courses.certification): the registry's public check and the
    # person's credentials with the assessments ahead (seed_demo's K3 licences).
    UIPage("credential-lookup", "courses:credential-lookup", _url("courses:credential-lookup")),
    UIPage(
        "credential-verify-expiring",
        "courses:credential-verify",
        lambda s: _credential_path("expiring"),
    ),
    UIPage(
        "credential-verify-revoked",
        "courses:credential-verify",
        lambda s: _credential_path("revoked"),
    ),
    UIPage(
        "credential-unknown",
        "courses:credential-verify",
        lambda s: reverse("courses:credential-verify", kwargs={"code": "ZZZZZZZZZZ"}),
        status=404,
    ),
    UIPage(
        "credential-list",
        "courses:credential-list",
        _url("courses:credential-list"),
        who=JOB_SEEKER,
    ),
    UIPage(
        "cohort-selection",
        "courses:cohort-selection",
        lambda s: reverse("courses:cohort-selection", kwargs={"code": s.ranked_cohort.code}),
    ),
    UIPage(
        "cohort-draw",
        "courses:cohort-draw",
        lambda s: reverse("courses:cohort-draw", kwargs={"code": s.ranked_cohort.code}),
    ),
    # The trainer's phone pages (courses.training).
    UIPage("trainer-home", "courses:trainer-home", _url("courses:trainer-home"), who=TRAINER),
    UIPage(
        "trainer-session",
        "courses:trainer-session",
        lambda s: reverse("courses:trainer-session", kwargs={"code": s.trainer_cohort.code}),
        who=TRAINER,
        screenshot=True,
    ),
    UIPage(
        "trainer-session-refused",
        "courses:trainer-session",
        lambda s: reverse("courses:trainer-session", kwargs={"code": s.trainer_cohort.code}),
        who=TRAINER,
        submit="#attendance-form",  # no button pressed: "the mark was not understood"
        status=400,
    ),
    # Vacancies: public board, job seekers' applications (placements).
    UIPage(
        "vacancies", "placements:vacancy-list", _url("placements:vacancy-list"), screenshot=True
    ),
    UIPage(
        "vacancies-filtered",
        "placements:vacancy-list",
        lambda s: reverse("placements:vacancy-list") + "?q=operator&education=smk",
    ),
    UIPage(
        "vacancy",
        "placements:vacancy-detail",
        _obj_url("placements:vacancy-detail", "vacancy_open"),
    ),
    UIPage(
        "vacancy-missing",
        "placements:vacancy-detail",
        lambda s: reverse("placements:vacancy-detail", kwargs={"pk": 999999}),
        status=404,
    ),
    UIPage(
        "vacancy-apply",
        "placements:vacancy-apply",
        _obj_url("placements:vacancy-apply", "vacancy_open"),
        who=JOB_SEEKER,
    ),
    UIPage(
        "job-applications",
        "placements:job-application-list",
        _url("placements:job-application-list"),
        who=JOB_SEEKER,
        screenshot=True,
    ),
    UIPage(
        "job-application",
        "placements:job-application-detail",
        _obj_url("placements:job-application-detail", "job_application"),
        who=JOB_SEEKER,
    ),
    UIPage(
        "job-preferences",
        "placements:job-preferences",
        _url("placements:job-preferences"),
        who=JOB_SEEKER,
    ),
    # Employers (placements).
    UIPage(
        "employer-register", "placements:employer-register", _url("placements:employer-register")
    ),
    UIPage(
        "employer-register-errors",
        "placements:employer-register",
        _url("placements:employer-register"),
        submit=FORM,
        status=400,
    ),
    UIPage(
        "employer-dashboard",
        "placements:employer-dashboard",
        _url("placements:employer-dashboard"),
        who=EMPLOYER,
        screenshot=True,
    ),
    UIPage(
        "employer-interviews",
        "placements:employer-interview-list",
        _url("placements:employer-interview-list"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-company",
        "placements:employer-company",
        _url("placements:employer-company"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-company-errors",
        "placements:employer-company",
        _url("placements:employer-company"),
        who=EMPLOYER,
        submit=FORM,
        fill=(("#id_email", "bukan-alamat"),),
        status=400,
    ),
    UIPage(
        "vacancy-create",
        "placements:vacancy-create",
        _url("placements:vacancy-create"),
        who=EMPLOYER,
    ),
    UIPage(
        "vacancy-create-errors",
        "placements:vacancy-create",
        _url("placements:vacancy-create"),
        who=EMPLOYER,
        submit=FORM,
        status=400,
    ),
    UIPage(
        "vacancy-edit",
        "placements:vacancy-edit",
        _obj_url("placements:vacancy-edit", "vacancy_draft"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-vacancy",
        "placements:employer-vacancy-detail",
        _obj_url("placements:employer-vacancy-detail", "vacancy_applied"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-vacancy-draft",
        "placements:employer-vacancy-detail",
        _obj_url("placements:employer-vacancy-detail", "vacancy_draft"),
        who=EMPLOYER,
    ),
    UIPage(
        "vacancy-matches",
        "placements:vacancy-matches",
        _obj_url("placements:vacancy-matches", "vacancy_applied"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-applicant",
        "placements:employer-job-application-detail",
        _obj_url("placements:employer-job-application-detail", "job_application"),
        who=EMPLOYER,
    ),
    # Employers' demand and pledges (placements.demand).
    UIPage("demand-list", "placements:demand-list", _url("placements:demand-list"), who=EMPLOYER),
    UIPage(
        "demand-create", "placements:demand-create", _url("placements:demand-create"), who=EMPLOYER
    ),
    UIPage(
        "demand-create-errors",
        "placements:demand-create",
        _url("placements:demand-create"),
        who=EMPLOYER,
        submit=FORM,
        status=400,
    ),
    UIPage(
        "demand-edit",
        "placements:demand-edit",
        _obj_url("placements:demand-edit", "demand"),
        who=EMPLOYER,
    ),
    UIPage("pledge-list", "placements:pledge-list", _url("placements:pledge-list"), who=EMPLOYER),
    UIPage(
        "employer-credentials",
        "placements:employer-credentials",
        _url("placements:employer-credentials"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-credential-new",
        "placements:employer-credential-new",
        _url("placements:employer-credential-new"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-nominate",
        "placements:employer-nominate",
        _url("placements:employer-nominate"),
        who=EMPLOYER,
    ),
    UIPage(
        "employer-nominate-report",
        "placements:employer-nominate",
        _url("placements:employer-nominate"),
        who=EMPLOYER,
        submit=FORM,
        fill=(("#id_niks", "12345"),),
        status=400,
    ),
    UIPage(
        "pledge-create", "placements:pledge-create", _url("placements:pledge-create"), who=EMPLOYER
    ),
    UIPage(
        "pledge-create-errors",
        "placements:pledge-create",
        _url("placements:pledge-create"),
        who=EMPLOYER,
        submit=FORM,
        status=400,
    ),
    UIPage(
        "pledge-graduates",
        "placements:pledge-detail",
        _obj_url("placements:pledge-detail", "pledge"),
        who=EMPLOYER,
        screenshot=True,
        notes="accepted, the intake ended: graduates who agreed to be found, invite forms",
    ),
    UIPage(
        "pledge-offered",
        "placements:pledge-detail",
        _obj_url("placements:pledge-detail", "pledge_offered"),
        who=EMPLOYER,
    ),
    UIPage(
        "pledge-invite-errors",
        "placements:pledge-invite",
        lambda s: reverse("placements:pledge-detail", kwargs={"pk": s.pledge.pk}),
        who=EMPLOYER,
        submit="main form[action*='/invite/']",
        fill=(("main form[action*='/invite/'] textarea", " "),),
        status=400,
        notes="an empty message: the page again with the error at that graduate",
    ),
    # Public statistics and the graduates' tracer (reports).
    UIPage("stats", "reports:stats", _url("reports:stats"), screenshot=True),
    UIPage("tracer-answer", "reports:tracer-answer", _tracer_path),
    UIPage(
        "tracer-answer-errors",
        "reports:tracer-answer",
        _tracer_path,
        submit=FORM,
        status=400,
    ),
    UIPage(
        "tracer-answer-invalid",
        "reports:tracer-answer",
        _url("reports:tracer-answer", token="not-a-token"),
        status=404,
    ),
    # Personal data: see, download, erase (core).
    UIPage("personal-data", "personal-data", _url("personal-data"), who=JOB_SEEKER),
    UIPage("personal-data-employer", "personal-data", _url("personal-data"), who=EMPLOYER),
    UIPage("account-delete", "account-delete", _url("account-delete"), who=JOB_SEEKER),
    UIPage(
        "account-delete-errors",
        "account-delete",
        _url("account-delete"),
        who=JOB_SEEKER,
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
    "notifications:whatsapp-webhook": "Meta's signed webhook (JSON in, plain text out), no page",
    "notifications:sms-report": "the SMS gateway's delivery reports (plain text out), no page",
    "set_language": "POST-only; redirects back (covered by the no-JavaScript test)",
    "logout": "POST-only; redirects to the home page (LOGOUT_REDIRECT_URL)",
    "trainees:verify-email-resend": "POST-only; redirects to the profile",
    "personal-data-download": "POST-only; answers a JSON file of the person's data",
    "trainees:document-delete": "POST-only; redirects to the profile",
    "trainees:document-download": "the document file itself (PDF/image), not a page",
    "trainees:document-preview": "a PNG of a document's first page (staff's documents panel), not a page",
    "placements:employer-interview-ics": "an .ics calendar file, not a page",
    "placements:job-application-withdraw": "POST-only; redirects to the application",
    "courses:application-confirm": "POST-only; redirects to the application",
    "placements:vacancy-submit": "POST-only; redirects to the vacancy",
    "placements:vacancy-return-to-draft": "POST-only; redirects to the vacancy",
    "placements:vacancy-close": "POST-only; redirects to the vacancy",
    "placements:employer-job-application-move": "POST-only; errors re-render the applicant page",
    "placements:demand-delete": "POST-only; redirects to the demand list",
    "placements:pledge-withdraw": "POST-only; redirects to the pledge",
    "courses:assessment-register": "POST-only; redirects to the person's credentials",
    "courses:registration-apl-upload": "POST-only; redirects to the person's credentials",
}

# Namespaces left out as a whole.
NOT_CHECKED_NAMESPACES: dict[str, str] = {
    "admin": "staff-only Django admin, not a public/job-seeker/employer page",
}
