"""The pages the UI check visits: every public, job-seeker and employer page.

Each entry is checked with axe-core (zero serious/critical violations) at 360×740 and
1280×800, and its HTML with the W3C Nu HTML Checker (zero errors), in Indonesian and
English. `test_every_named_url_is_checked_or_excused` fails when a named URL is in
neither PAGES nor NOT_CHECKED: adding a page to the portal means adding a line here.

Paths are callables of the check's Scenario (tests/e2e/ui_scenario.py), evaluated after
`seed_demo` ran, so they can point at demo objects. Most entries are made by `page` (a URL
without arguments), `object_page` and `code_page` (a scenario object's pk or code),
`form_errors` (a form sent and refused) or `forged_link`; `signed_in_as(who, ...)` opens
a block of them as one role.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

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


def _apply_path(attribute: str) -> Callable[..., str]:
    """The application form of the scenario's intake `attribute`."""

    def path(scenario) -> str:
        cohort = getattr(scenario, attribute)
        return reverse(
            "courses:cohort-apply", kwargs={"slug": cohort.program.slug, "code": cohort.code}
        )

    return path


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


def page(name: str, url_name: str, **options) -> UIPage:
    """The page at `url_name` (a URL without arguments)."""
    return UIPage(name, url_name, _url(url_name), **options)


def form_errors(name: str, url_name: str, *, submit: str = FORM, **options) -> UIPage:
    """The page at `url_name` once its form is sent (empty, or as `fill` types it):
    refused and shown again with the errors (400)."""
    return page(name, url_name, submit=submit, status=400, **options)


def forged_link(name: str, url_name: str, status: int) -> UIPage:
    """The page at `url_name` reached by a link whose token is not one the portal made."""
    return UIPage(name, url_name, _url(url_name, token="not-a-token"), status=status)


def signed_in_as(who: str, *pages: UIPage) -> list[UIPage]:
    """`pages`, each opened logged in as `who`."""
    return [replace(entry, who=who) for entry in pages]


def object_page(name: str, url_name: str, attribute: str, **options) -> UIPage:
    """The page at `url_name` of the scenario's object `attribute` (its pk in the URL)."""
    return UIPage(name, url_name, _obj_url(url_name, attribute), **options)


def code_page(name: str, url_name: str, attribute: str, **options) -> UIPage:
    """The page at `url_name` of the scenario's intake `attribute` (its code in the URL)."""

    def path(scenario) -> str:
        return reverse(url_name, kwargs={"code": getattr(scenario, attribute).code})

    return UIPage(name, url_name, path, **options)


PAGES: list[UIPage] = [
    page("home", "home", screenshot=True),
    page("login", "login", screenshot=True),
    page("login-errors", "login", submit=FORM),
    page("password-reset", "password_reset"),
    form_errors("password-reset-errors", "password_reset"),
    page("password-reset-done", "password_reset_done"),
    page("password-reset-code", "password_reset_code"),
    form_errors(
        "password-reset-code-errors",
        "password_reset_code",
        fill=(("#id_login", "0812-3456-7890"), ("#id_code", "12345")),
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
    page("password-reset-complete", "password_reset_complete"),
    UIPage("not-found", "", lambda s: "/tidak-ada-halaman-ini/", status=404),
    # The catalogue (courses).
    page("catalogue", "courses:program-list", screenshot=True),
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
        "program", "courses:program-detail", lambda s: s.program.get_absolute_url(), screenshot=True
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
    page("register", "trainees:register", screenshot=True),
    form_errors("register-errors", "trainees:register"),
    UIPage("verify-email", "trainees:verify-email", _verify_email_path),
    forged_link("verify-email-invalid", "trainees:verify-email", status=400),
    page("profile", "trainees:profile", who=JOB_SEEKER, screenshot=True),
    form_errors(
        "profile-errors",
        "trainees:profile",
        who=JOB_SEEKER,
        submit="#profile-form",
        fill=(("#id_nik", "1234"), ("#id_graduation_year", "2099")),
    ),
    UIPage(
        "document-upload-errors",
        "trainees:document-upload",
        _url("trainees:profile"),
        who=JOB_SEEKER,
        submit="form[enctype='multipart/form-data']",
        status=400,
    ),
    page("walk-in", "trainees:walk-in-register", who=STAFF),
    page("work-queue", "work-queue", who=STAFF),
    form_errors("walk-in-errors", "trainees:walk-in-register", who=STAFF),
    # Applying for training (courses).
    UIPage(
        "cohort-apply",
        "courses:cohort-apply",
        _apply_path("cohort_open"),
        who=JOB_SEEKER,
        screenshot=True,
    ),
    UIPage(
        "cohort-apply-blocked",
        "courses:cohort-apply",
        _apply_path("cohort_blocked"),
        who=JOB_SEEKER,
    ),
    UIPage(
        "cohort-apply-errors",
        "courses:cohort-apply",
        _apply_path("cohort_open"),
        who=JOB_SEEKER,
        submit=FORM,
        fill=(("#id_motivation", "Terlalu pendek"),),
        status=400,
    ),
    page("dashboard", "courses:dashboard", who=JOB_SEEKER, screenshot=True),
    page("allowance", "welfare:payee-list", who=JOB_SEEKER),
    object_page("allowance-account", "welfare:payee-edit", "allowance_application", who=JOB_SEEKER),
    object_page(
        "allowance-account-errors",
        "welfare:payee-edit",
        "allowance_application",
        who=JOB_SEEKER,
        submit=FORM,
        fill=(("#id_account_number", "12ab"),),
        status=400,
    ),
    object_page("application", "courses:application-detail", "application", who=JOB_SEEKER),
    object_page(
        "application-withdraw", "courses:application-withdraw", "application", who=JOB_SEEKER
    ),
    # Selection and training (courses).
    object_page("seat-offer", "courses:offer-detail", "seat_offer", who=JOB_SEEKER),
    object_page("certificate-print", "courses:certificate-print", "certificate", who=JOB_SEEKER),
    page("certificate-lookup", "courses:certificate-lookup"),
    UIPage(
        "certificate-lookup-bad-code",
        "courses:certificate-lookup",
        lambda s: reverse("courses:certificate-lookup") + "?code=%3C%3E",
        status=400,
    ),
    code_page("certificate-verify", "courses:certificate-verify", "certificate"),
    UIPage(
        "certificate-unknown",
        "courses:certificate-verify",
        _url("courses:certificate-verify", code="ZZZZZZZZZZ"),
        status=404,
    ),
    # Certification (courses.certification): the registry's public check and the
    # person's credentials with the assessments ahead (seed_demo's K3 licences).
    page("credential-lookup", "courses:credential-lookup"),
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
        _url("courses:credential-verify", code="ZZZZZZZZZZ"),
        status=404,
    ),
    page("credential-list", "courses:credential-list", who=JOB_SEEKER),
    code_page("cohort-selection", "courses:cohort-selection", "ranked_cohort"),
    code_page("cohort-draw", "courses:cohort-draw", "ranked_cohort"),
    # The trainer's phone pages (courses.training).
    page("trainer-home", "courses:trainer-home", who=TRAINER),
    code_page(
        "trainer-session", "courses:trainer-session", "trainer_cohort", who=TRAINER, screenshot=True
    ),
    code_page(
        "trainer-session-refused",
        "courses:trainer-session",
        "trainer_cohort",
        who=TRAINER,
        submit="#attendance-form",  # no button pressed: "the mark was not understood"
        status=400,
    ),
    # Vacancies: public board, job seekers' applications (placements).
    page("vacancies", "placements:vacancy-list", screenshot=True),
    UIPage(
        "vacancies-filtered",
        "placements:vacancy-list",
        lambda s: reverse("placements:vacancy-list") + "?q=operator&education=smk",
    ),
    object_page("vacancy", "placements:vacancy-detail", "vacancy_open"),
    UIPage(
        "vacancy-missing",
        "placements:vacancy-detail",
        _url("placements:vacancy-detail", pk=999999),
        status=404,
    ),
    object_page("vacancy-apply", "placements:vacancy-apply", "vacancy_open", who=JOB_SEEKER),
    page("job-applications", "placements:job-application-list", who=JOB_SEEKER, screenshot=True),
    object_page(
        "job-application", "placements:job-application-detail", "job_application", who=JOB_SEEKER
    ),
    page("job-preferences", "placements:job-preferences", who=JOB_SEEKER),
    # Employers (placements).
    page("employer-register", "placements:employer-register"),
    form_errors("employer-register-errors", "placements:employer-register"),
    *signed_in_as(
        EMPLOYER,
        page("employer-dashboard", "placements:employer-dashboard", screenshot=True),
        page("employer-interviews", "placements:employer-interview-list"),
        page("employer-company", "placements:employer-company"),
        form_errors(
            "employer-company-errors",
            "placements:employer-company",
            fill=(("#id_email", "bukan-alamat"),),
        ),
        page("vacancy-create", "placements:vacancy-create"),
        form_errors("vacancy-create-errors", "placements:vacancy-create"),
        object_page("vacancy-edit", "placements:vacancy-edit", "vacancy_draft"),
        object_page("employer-vacancy", "placements:employer-vacancy-detail", "vacancy_applied"),
        object_page(
            "employer-vacancy-draft", "placements:employer-vacancy-detail", "vacancy_draft"
        ),
        object_page("vacancy-matches", "placements:vacancy-matches", "vacancy_applied"),
        object_page(
            "employer-applicant", "placements:employer-job-application-detail", "job_application"
        ),
        # Employers' demand and pledges (placements.demand).
        page("demand-list", "placements:demand-list"),
        page("demand-create", "placements:demand-create"),
        form_errors("demand-create-errors", "placements:demand-create"),
        object_page("demand-edit", "placements:demand-edit", "demand"),
        page("pledge-list", "placements:pledge-list"),
        page("employer-credentials", "placements:employer-credentials"),
        page("employer-credential-new", "placements:employer-credential-new"),
        page("employer-nominate", "placements:employer-nominate"),
        form_errors(
            "employer-nominate-report",
            "placements:employer-nominate",
            fill=(("#id_niks", "12345"),),
        ),
        page("pledge-create", "placements:pledge-create"),
        form_errors("pledge-create-errors", "placements:pledge-create"),
        object_page(
            "pledge-graduates",
            "placements:pledge-detail",
            "pledge",
            screenshot=True,
            notes="accepted, the intake ended: graduates who agreed to be found, invite forms",
        ),
        object_page("pledge-offered", "placements:pledge-detail", "pledge_offered"),
        UIPage(
            "pledge-invite-errors",
            "placements:pledge-invite",
            lambda s: reverse("placements:pledge-detail", kwargs={"pk": s.pledge.pk}),
            submit="main form[action*='/invite/']",
            fill=(("main form[action*='/invite/'] textarea", " "),),
            status=400,
            notes="an empty message: the page again with the error at that graduate",
        ),
    ),
    # Public statistics and the graduates' tracer (reports).
    page("stats", "reports:stats", screenshot=True),
    UIPage("tracer-answer", "reports:tracer-answer", _tracer_path),
    UIPage("tracer-answer-errors", "reports:tracer-answer", _tracer_path, submit=FORM, status=400),
    forged_link("tracer-answer-invalid", "reports:tracer-answer", status=404),
    # Personal data: see, download, erase (core).
    page("personal-data", "personal-data", who=JOB_SEEKER),
    page("personal-data-employer", "personal-data", who=EMPLOYER),
    page("account-delete", "account-delete", who=JOB_SEEKER),
    form_errors("account-delete-errors", "account-delete", who=JOB_SEEKER),
    # E-mail preferences (notifications).
    UIPage("unsubscribe", "notifications:unsubscribe", _unsubscribe_path),
    forged_link("unsubscribe-invalid", "notifications:unsubscribe", status=400),
    # Logged in.
    page("password-change", "password_change", who=JOB_SEEKER),
    page("password-change-errors", "password_change", who=JOB_SEEKER, submit=FORM),
    page("password-change-done", "password_change_done", who=JOB_SEEKER),
    page("password-change-employer", "password_change", who=EMPLOYER),
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
