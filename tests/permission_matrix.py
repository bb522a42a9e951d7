"""Who may open which URL: the single table behind tests/test_permission_matrix.py.

Every named route of the URLconf must have an entry in `ROUTES` below (the test walks
`get_resolver()` and fails for a route without one, and for an entry whose route is
gone). The Django admin (`admin:*`) is covered by one rule in the test instead: nobody but
staff gets past its login, staff see what their group's permissions allow.

An entry says, per HTTP method, what each role gets::

    "trainees:document-download": Route(
        kwargs=pk_of("document_a"),   # A's document
        get={**only("seeker_a", "staff", "superuser"), "seeker_b": NOT_FOUND,
             "employer_a": FORBIDDEN, "employer_b": FORBIDDEN},
    ),

Roles: anonymous, seeker_a, seeker_b (job seekers), employer_a, employer_b, trainer_a
(assigned to the intake in training), trainer_b (not assigned), staff (a member of the
"Training staff" group) and superuser. Outcomes: `OK` (200), `LOGIN`
(redirect to the log-in page), `FORBIDDEN` (403), `NOT_FOUND` (404), `NOT_ALLOWED` (405),
`redirect("url-name" or "/path/")` (302 there), `TOO_MANY` (429), or any other status
number. Helpers: `everyone(outcome)`, `signed_in(outcome)` (anonymous → LOGIN),
`only(*roles, ok=OK, others=FORBIDDEN)` (anonymous → LOGIN), `a_only("seeker_a")` (only A,
on A's record: B gets NOT_FOUND), `POST_ONLY` (a GET answers 405), `pk_of("document_a")`
(the kwargs of a URL taking that object's pk). Override single roles with
`{**only(...), "seeker_b": NOT_FOUND}`.

`kwargs` receives the `World` (users and objects of tests/test_permission_matrix.py:
`w.user("seeker_a")`, `w.obj("document_a")`): point object URLs at **A's** records, so
that B's answer proves one person cannot reach another's data by changing an id. A 4xx
answer or a redirect to the log-in page must never contain another person's data (the
test checks every such body for the other roles' names, e-mails and NIKs).

A list of Routes checks several cases of one URL (say, a published and a draft
program); give each a `note`. `post_data` is sent with `post=`; `fuzz_as="seeker_a"` marks
a page whose forms the fuzz test (tests/test_fuzz_forms.py) fills with random input as
that role (after `fuzz_setup(w)` if the role needs something to see the form). The matrix
test fails for a page that shows a form (other than the header's) to some role without
`fuzz_as`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

NON_STAFF = (
    "anonymous",
    "seeker_a",
    "seeker_b",
    "employer_a",
    "employer_b",
    "trainer_a",
    "trainer_b",
)
ROLES = (*NON_STAFF, "staff", "superuser")

OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
TOO_MANY = 429
LOGIN = "login"


def redirect(to: str) -> str:
    """302 to a URL name (reversed without arguments) or a path starting with '/'."""
    return f"redirect:{to}"


def redirect_prefix(prefix: str) -> str:
    """302 to any path starting with `prefix` (say, the record just created)."""
    return f"redirect-prefix:{prefix}"


def everyone(outcome) -> dict[str, Any]:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome=OK, anonymous=LOGIN) -> dict[str, Any]:
    return {**everyone(outcome), "anonymous": anonymous}


def only(*roles: str, ok=OK, others=FORBIDDEN, anonymous=LOGIN) -> dict[str, Any]:
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    table = {role: (ok if role in roles else others) for role in ROLES}
    if "anonymous" not in roles:
        table["anonymous"] = anonymous
    return table


def a_only(role: str, ok=OK) -> dict[str, Any]:
    """Only `role` (seeker_a, employer_a, trainer_a) gets `ok` from A's own record: B,
    changing the id, reaches nothing (404); everyone else as `only`."""
    return {**only(role, ok=ok), role.replace("_a", "_b"): NOT_FOUND}


def pk_of(name: str) -> Callable[[Any], dict[str, Any]]:
    """The kwargs of a URL taking the pk of the world's object `name`."""
    return lambda w: {"pk": w.obj(name).pk}


POST_ONLY = signed_in(NOT_ALLOWED)  # a GET: 405 for everyone signed in


@dataclass(frozen=True)
class Route:
    get: dict[str, Any] | None = None
    post: dict[str, Any] | None = None
    kwargs: Callable[[Any], dict[str, Any]] | dict[str, Any] = field(default_factory=dict)
    post_data: Callable[[Any], dict[str, Any]] | dict[str, Any] = field(default_factory=dict)
    # The role as whom the fuzz test fills the page's forms; None: not fuzzed.
    fuzz_as: str | None = None
    # Prepare the world so that `fuzz_as` sees the form (say, make B eligible).
    fuzz_setup: Callable[[Any], None] | None = None
    note: str = ""


def a_action(role: str, obj: str, ok) -> Route:
    """A POST-only action on A's object `obj`: `role` (A) gets `ok`, B 404 (`a_only`)."""
    return Route(kwargs=pk_of(obj), get=POST_ONLY, post=a_only(role, ok=ok))


def a_form(role: str, obj: str) -> Route:
    """A's form for A's object `obj`: an empty post is refused (400); B 404; fuzzed as A."""
    return Route(kwargs=pk_of(obj), get=a_only(role), post=a_only(role, ok=400), fuzz_as=role)


def new_form(role_a: str, role_b: str) -> Route:
    """A form both roles fill for something new: an empty post is refused, shown again
    (400); fuzzed as B (who has nothing yet)."""
    return Route(get=only(role_a, role_b), post=only(role_a, role_b, ok=400), fuzz_as=role_b)


TO_EMPLOYER_PAGES = redirect_prefix("/employers/")

# An intake's public page (its draw, its selection): public, but not for an intake of an
# unpublished program.
PUBLIC_COHORT_PAGE = [
    Route(get=everyone(OK), kwargs=lambda w: {"code": w.obj("cohort").code}),
    Route(
        note="cohort of an unpublished program",
        get=everyone(NOT_FOUND),
        kwargs=lambda w: {"code": w.obj("cohort_draft").code},
    ),
]


def _give_ijazah(world, trainee: str) -> None:
    from trainees.tests.factories import DocumentFactory

    DocumentFactory(trainee=world.obj(trainee), kind="ijazah")


# --- The table ------------------------------------------------------------------------
# Keep it grouped by app, in URLconf order.

ROUTES: dict[str, Route | list[Route]] = {
    # core
    "home": Route(get=everyone(OK)),
    "healthz": Route(get=everyone(OK)),
    "set_language": Route(
        get=everyone(NOT_ALLOWED),
        post=everyone(redirect("/")),
        post_data={"language": "id", "next": "/"},
    ),
    # a person's own data (core.personal_data)
    "personal-data": Route(get=signed_in(OK), fuzz_as="seeker_a"),
    "personal-data-download": Route(get=POST_ONLY, post=signed_in(OK)),
    "account-delete": Route(
        get=signed_in(OK),
        post=signed_in(400),  # no password, no confirmation: nothing is erased
        fuzz_as="seeker_b",
    ),
    # accounts (Django's auth views)
    "login": Route(get=everyone(OK), fuzz_as="anonymous"),
    "logout": Route(
        get=POST_ONLY,  # log-out is a POST
        post=signed_in(redirect("home")),
    ),
    "password_change": Route(get=signed_in(OK), fuzz_as="seeker_a"),
    "password_change_done": Route(get=signed_in(OK)),
    "password_reset": Route(get=everyone(OK), fuzz_as="anonymous"),
    "password_reset_done": Route(get=everyone(OK)),
    "password_reset_code": Route(get=everyone(OK), fuzz_as="anonymous"),
    "password_reset_confirm": Route(
        get=everyone(OK),  # an invalid link shows the "link is no longer valid" page
        kwargs={"uidb64": "MQ", "token": "set-password"},
    ),
    "password_reset_complete": Route(get=everyone(OK)),
    # trainees (job seekers)
    "trainees:register": Route(
        get={**signed_in(redirect("trainees:profile")), "anonymous": OK}, fuzz_as="anonymous"
    ),
    "trainees:verify-email-resend": Route(
        get=POST_ONLY, post=signed_in(redirect("trainees:profile"))
    ),
    "trainees:verify-email": Route(get=everyone(400), kwargs={"token": "not-a-real-token"}),
    "trainees:profile": Route(
        get=only("seeker_a", "seeker_b"),
        # Profile fields are optional (saved step by step), but the name and the phone
        # given at sign-up cannot be blanked: an empty form is refused (400).
        post=only("seeker_a", "seeker_b", ok=400),
        fuzz_as="seeker_a",
    ),
    "trainees:document-upload": Route(get=POST_ONLY, post=only("seeker_a", "seeker_b", ok=400)),
    "trainees:document-delete": Route(
        kwargs=pk_of("document_a"),
        get=POST_ONLY,
        post={**signed_in(NOT_FOUND), "seeker_a": redirect("trainees:profile")},
    ),
    "trainees:document-download": Route(
        kwargs=pk_of("document_a"), get=only("seeker_a", "staff", "superuser", others=NOT_FOUND)
    ),
    "trainees:document-preview": Route(
        kwargs=pk_of("document_a"), get=only("seeker_a", "staff", "superuser", others=NOT_FOUND)
    ),
    "trainees:walk-in-register": Route(
        get={**everyone(redirect("admin:login")), "staff": OK, "superuser": OK}, fuzz_as="staff"
    ),
    # welfare: the trainee's own allowance account
    "welfare:payee-list": Route(get=only("seeker_a", "seeker_b")),
    "welfare:payee-edit": Route(
        kwargs=pk_of("allowance_application_a"),
        get=a_only("seeker_a"),
        # An empty form is refused (400); B changing the id reaches nothing (404).
        post=a_only("seeker_a", ok=400),
        fuzz_as="seeker_a",
    ),
    # courses (catalogue)
    "courses:program-list": Route(get=everyone(OK), fuzz_as="anonymous"),
    "courses:program-detail": [
        Route(get=everyone(OK), kwargs=lambda w: {"slug": w.obj("program").slug}),
        Route(
            note="unpublished: a staff preview, 404 for everyone else",
            kwargs=lambda w: {"slug": w.obj("program_draft").slug},
            get={**everyone(NOT_FOUND), "staff": OK, "superuser": OK},
        ),
    ],
    # courses (applications): job seekers only; B never reaches A's application
    "courses:cohort-apply": Route(
        kwargs=lambda w: {"slug": w.obj("program").slug, "code": w.obj("cohort").code},
        # A applied already (lands on that application); B sees what to fix (no ijazah).
        get={**only("seeker_a", "seeker_b"), "seeker_a": redirect_prefix("/me/applications/")},
        post={
            **only("seeker_a", "seeker_b"),
            "seeker_a": redirect_prefix("/me/applications/"),
            "seeker_b": 400,
        },
        post_data={"motivation": "Saya ingin bekerja di kawasan industri Batang."},
        fuzz_as="seeker_b",
        fuzz_setup=lambda w: _give_ijazah(w, "trainee_b"),
    ),
    "courses:dashboard": Route(
        get={
            **only("seeker_a", "seeker_b"),
            "staff": redirect("admin:index"),
            "superuser": redirect("admin:index"),
        },
        # A's open seat offer shows accept/decline forms on the dashboard.
        fuzz_as="seeker_a",
    ),
    "courses:application-detail": Route(kwargs=pk_of("application_a"), get=a_only("seeker_a")),
    "courses:application-withdraw": Route(
        kwargs=pk_of("application_a"),
        get=a_only("seeker_a"),
        post=a_only("seeker_a", ok=redirect_prefix("/me/applications/")),
        fuzz_as="seeker_a",
    ),
    # courses (selection and training): daftar ulang, offers, certificates
    "courses:application-confirm": Route(
        kwargs=pk_of("application_a"),
        get=POST_ONLY,
        # A's application is not accepted yet: refused with a message, back to it.
        post=a_only("seeker_a", ok=redirect_prefix("/me/applications/")),
    ),
    "courses:offer-detail": Route(
        kwargs=pk_of("offer_a"),
        get=a_only("seeker_a"),
        # "decline" without "confirm" only asks again: nothing changes.
        post=a_only("seeker_a"),
        post_data={"action": "decline"},
        fuzz_as="seeker_a",
    ),
    "courses:certificate-print": Route(
        kwargs=pk_of("certificate_a"),
        get={
            **everyone(NOT_FOUND),
            "anonymous": LOGIN,
            "seeker_a": OK,
            "staff": OK,
            "superuser": OK,
        },
    ),
    "courses:trainer-home": Route(get=only("trainer_a", "trainer_b")),
    "courses:trainer-session": Route(
        kwargs=lambda w: {"code": w.obj("cohort_trained").code},
        get=a_only("trainer_a"),
        post=a_only("trainer_a", ok=302),
        post_data=lambda w: {
            "day": w.obj("session_day").pk,
            "mark": f"{w.obj('trainee_in_training').pk}:present",
        },
        fuzz_as="trainer_a",
    ),
    "courses:certificate-lookup": Route(get=everyone(OK), fuzz_as="anonymous"),
    "courses:certificate-verify": [
        Route(get=everyone(OK), kwargs=lambda w: {"code": w.obj("certificate_a").code}),
        Route(note="unknown code", get=everyone(NOT_FOUND), kwargs={"code": "ZZZZZZZZZZ"}),
    ],
    # courses (certification): the registry's public check, a person's credentials
    "courses:credential-lookup": Route(get=everyone(OK), fuzz_as="anonymous"),
    "courses:credential-verify": [
        Route(get=everyone(OK), kwargs=lambda w: {"code": w.obj("credential_a").code}),
        Route(note="unknown code", get=everyone(NOT_FOUND), kwargs={"code": "ZZZZZZZZZZ"}),
    ],
    "courses:credential-list": Route(get=only("seeker_a", "seeker_b"), fuzz_as="seeker_a"),
    # A graduate registers (back to the list); B is refused with a message, also back.
    "courses:assessment-register": Route(
        kwargs=pk_of("assessment"),
        get=POST_ONLY,
        post={
            **only("seeker_a", "seeker_b"),
            "seeker_a": redirect("courses:credential-list"),
            "seeker_b": redirect("courses:credential-list"),
        },
    ),
    # The person's APL forms: A's own registration (an empty form is refused, shown
    # again); B reaching A's registration gets 404; other roles are no job seekers.
    "courses:registration-apl-upload": Route(
        kwargs=pk_of("registration_a"),
        get=POST_ONLY,
        # Fuzzed through the forms of courses:credential-list, where A's registration is.
        post=a_only("seeker_a", ok=400),
    ),
    "courses:cohort-draw": PUBLIC_COHORT_PAGE,
    "courses:cohort-selection": PUBLIC_COHORT_PAGE,
    # placements: public board, job seekers
    "placements:vacancy-list": Route(get=everyone(OK), fuzz_as="anonymous"),
    "placements:vacancy-detail": [
        Route(get=everyone(OK), kwargs=pk_of("vacancy_a")),
        Route(
            note="a draft is not public, not even to its employer here",
            get=everyone(NOT_FOUND),
            kwargs=pk_of("vacancy_a_draft"),
        ),
    ],
    "placements:vacancy-apply": [
        Route(
            note="seeker A already applied: sent to the application",
            kwargs=pk_of("vacancy_a"),
            get={
                **only("seeker_b"),
                "seeker_a": redirect_prefix("/me/jobs/"),
            },
            fuzz_as="seeker_b",
            fuzz_setup=lambda w: _give_ijazah(w, "trainee_b"),
        ),
        Route(kwargs=pk_of("vacancy_a_draft"), get=signed_in(NOT_FOUND)),
    ],
    "placements:job-application-list": Route(get=only("seeker_a", "seeker_b")),
    "placements:job-application-detail": Route(
        kwargs=pk_of("job_application_a"), get=a_only("seeker_a"), fuzz_as="seeker_a"
    ),
    "placements:job-application-withdraw": a_action(
        "seeker_a", "job_application_a", ok=redirect_prefix("/me/jobs/")
    ),
    "placements:job-preferences": Route(get=only("seeker_a", "seeker_b"), fuzz_as="seeker_a"),
    # placements: employers (B reaching A's records gets 404: ids reveal nothing)
    "placements:employer-register": Route(
        get={**signed_in(redirect_prefix("/")), "anonymous": OK}, fuzz_as="anonymous"
    ),
    "placements:employer-dashboard": Route(get=only("employer_a", "employer_b")),
    "placements:employer-company": Route(
        get=only("employer_a", "employer_b"), fuzz_as="employer_b"
    ),
    "placements:vacancy-create": Route(get=only("employer_a", "employer_b"), fuzz_as="employer_b"),
    "placements:employer-vacancy-detail": Route(
        kwargs=pk_of("vacancy_a"), get=a_only("employer_a"), fuzz_as="employer_a"
    ),
    "placements:vacancy-edit": a_form("employer_a", "vacancy_a_draft"),
    "placements:vacancy-submit": a_action("employer_a", "vacancy_a_draft", ok=TO_EMPLOYER_PAGES),
    "placements:vacancy-return-to-draft": a_action(
        "employer_a", "vacancy_a_draft", ok=TO_EMPLOYER_PAGES
    ),
    "placements:vacancy-close": a_action("employer_a", "vacancy_a", ok=TO_EMPLOYER_PAGES),
    "placements:vacancy-matches": Route(kwargs=pk_of("vacancy_a"), get=a_only("employer_a")),
    "placements:employer-job-application-detail": Route(
        kwargs=pk_of("job_application_a"), get=a_only("employer_a"), fuzz_as="employer_a"
    ),
    "placements:employer-interview-list": Route(get=only("employer_a", "employer_b")),
    "placements:employer-interview-ics": Route(
        kwargs=pk_of("interview_a"), get=a_only("employer_a")
    ),
    "placements:employer-job-application-move": Route(
        kwargs=lambda w: {"pk": w.obj("job_application_a").pk, "to": "shortlisted"},
        get=POST_ONLY,
        post=a_only("employer_a", ok=TO_EMPLOYER_PAGES),
    ),
    # placements: an employer's demand and pledges (B reaching A's gets 404)
    # Employers: their people's credentials (list and exports) and nominations by NIK.
    "placements:employer-credentials": Route(get=only("employer_a", "employer_b")),
    "placements:employer-credential-new": new_form("employer_a", "employer_b"),
    "placements:employer-nominate": new_form("employer_a", "employer_b"),
    "placements:demand-list": Route(get=only("employer_a", "employer_b")),
    "placements:demand-create": new_form("employer_a", "employer_b"),
    "placements:demand-edit": a_form("employer_a", "demand_a"),
    "placements:demand-delete": a_action(
        "employer_a", "demand_a", ok=redirect("placements:demand-list")
    ),
    "placements:pledge-list": Route(get=only("employer_a", "employer_b")),
    "placements:pledge-create": new_form("employer_a", "employer_b"),
    "placements:pledge-detail": [
        Route(
            note="accepted, the intake ended: A sees the graduates who agreed to be found",
            kwargs=pk_of("pledge_a"),
            get=a_only("employer_a"),
            fuzz_as="employer_a",
        ),
        Route(
            note="offered, the intake still open: no graduates yet",
            kwargs=pk_of("pledge_a_offered"),
            get=a_only("employer_a"),
            fuzz_as="employer_a",
        ),
    ],
    "placements:pledge-withdraw": a_action("employer_a", "pledge_a_offered", ok=TO_EMPLOYER_PAGES),
    "placements:pledge-invite": Route(
        kwargs=lambda w: {"pk": w.obj("pledge_a").pk, "person": w.user("seeker_a").pk},
        get=POST_ONLY,
        post=a_only("employer_a", ok=400),  # no message
    ),
    # notifications
    "notifications:unsubscribe": Route(
        kwargs={"token": "not-a-real-token"}, get=everyone(400), post=everyone(400)
    ),
    "notifications:whatsapp-webhook": Route(
        note="Meta's webhook: without the verify token or the body's signature, refused",
        get=everyone(FORBIDDEN),
        post=everyone(FORBIDDEN),
    ),
    "notifications:sms-report": Route(
        note="the SMS gateway's delivery reports: without the secret in the URL, refused",
        kwargs={"token": "not-the-report-token"},
        get=everyone(FORBIDDEN),
        post=everyone(FORBIDDEN),
    ),
    # --- reports
    "reports:stats": Route(get=everyone(OK)),
    # The staff work queue: the admin's own guard sends everyone else to its log-in.
    "work-queue": Route(get={**everyone(redirect("admin:login")), "staff": OK, "superuser": OK}),
    "reports:tracer-answer": [
        Route(
            note="the link from the e-mail: the signed token is the key, no login",
            kwargs=lambda w: {"token": _tracer_token(w.obj("tracer_survey_a"))},
            get=everyone(OK),
            post=everyone(redirect_prefix("/tracer/")),
            post_data={"working": "no"},
            fuzz_as="anonymous",
        ),
        Route(
            note="a tampered token",
            kwargs={"token": "MQ:1v0abc:not-a-real-signature"},
            get=everyone(NOT_FOUND),
            post=everyone(NOT_FOUND),
            post_data={"working": "no"},
        ),
    ],
}


def _tracer_token(survey) -> str:
    from reports.selectors.tracer import tracer_token_make

    return tracer_token_make(survey)
