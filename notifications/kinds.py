"""The notifications the portal sends, and the context each one expects.

This is the contract with the apps that call `notification_queue(kind=..., context=...)`.
Every kind has three templates in `notifications/templates/emails/`:
`<kind>.subject.txt`, `<kind>.txt` and `<kind>.html`, rendered in the recipient's language.
The channels a kind may use are in `CHANNELS` below; a kind that may leave by WhatsApp or
SMS also has its short message (the Meta template and the SMS text) in
`templates_whatsapp.py`.

Context values are JSON-like primitives, with four conveniences (see `context.py`):
- `date` and `datetime` values are kept as such and shown in the recipient's language
  and the portal's time zone (`{{ starts_on|date }}`);
- lazy translations (`gettext_lazy`, a model choice's `.label`) are stored in English and
  translated into the recipient's language when the mail is rendered;
- links are **paths** (`reverse(...)`, "/lamaran/12/"): the templates make them absolute
  with `SITE_URL` (filter `absolute`), so a mail never points at the wrong host (an
  absolute `http(s)://` URL is kept as it is);
- `Decimal` becomes a string.

Links that work without a login (a token in the path is the key) are never passed in
the context: the kinds in `SECRET_LINK_KEYS` get them at send time from the maker their
app registers (`notifications.links`), and the staff preview shows a placeholder.

Every template also receives, without the caller passing them:
- `name`: the `name` key if given, else the recipient's full name (may be empty);
- `site_url`: `settings.SITE_URL`;
- `unsubscribe_url`: for the kinds in `UNSUBSCRIBABLE`, the path of the one-click
  unsubscribe page of that recipient and kind (made at send time, hidden in the preview).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ACCOUNT_VERIFY_EMAIL = "account.verify_email", _("E-mail address verification")
    ACCOUNT_PASSWORD_RESET = "account.password_reset", _("Password reset")
    ACCOUNT_ONE_TIME_CODE = "account.one_time_code", _("One-time code (password, first log-in)")
    APPLICATION_RECEIVED = "application.received", _("Application received")
    APPLICATION_DOCUMENTS_VERIFIED = "application.documents_verified", _("Documents verified")
    APPLICATION_ACCEPTED = "application.accepted", _("Application accepted")
    APPLICATION_RESERVE = "application.reserve", _("Application on the reserve list")
    APPLICATION_NOT_ACCEPTED = "application.not_accepted", _("Application not accepted")
    APPLICATION_SEAT_OFFERED = "application.seat_offered", _("Seat offered")
    APPLICATION_REREGISTRATION_REMINDER = (
        "application.reregistration_reminder",
        _("Re-registration reminder"),
    )
    APPLICATION_WITHDRAWN = "application.withdrawn", _("Application withdrawn")
    COHORT_START_REMINDER = "cohort.start_reminder", _("Training start reminder")
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
    EMPLOYER_VERIFIED = "employer.verified", _("Employer verified")
    EMPLOYER_LICENCE_TO_RECORD = (
        "employer.licence_to_record",
        _("Employer: record the licence of a new hire"),
    )
    VACANCY_PUBLISHED = "vacancy.published", _("Vacancy published")
    VACANCY_REJECTED = "vacancy.rejected", _("Vacancy rejected")
    EMPLOYER_APPLICANTS_DIGEST = "employer.applicants_digest", _("New applicants (digest)")
    JOB_APPLICATION_STATUS_CHANGED = (
        "job_application.status_changed",
        _("Job application status changed"),
    )
    GRADUATE_VACANCY_DIGEST = "graduate.vacancy_digest", _("Matching vacancies (weekly digest)")
    JOB_APPLICATION_VACANCY_CLOSED = (
        "job_application.vacancy_closed",
        _("Vacancy closed (to its applicants)"),
    )
    JOB_APPLICATION_NO_RESPONSE = (
        "job_application.no_response",
        _("No answer from the employer yet"),
    )
    TRACER_SURVEY = "tracer.survey", _("Placement tracer (are you working?)")
    PLEDGE_STATUS_CHANGED = "pledge.status_changed", _("Pledge status changed")
    PLEDGE_INVITATION = "pledge.invitation", _("Invitation from a pledging employer")
    PLEDGE_INTAKE_ENDING = "pledge.intake_ending", _("Pledged intake ends soon")
    PLEDGE_LAPSING = "pledge.lapsing", _("Pledge about to lapse")
    PLEDGES_BROKEN = "pledges.broken", _("Employer broke two pledges (to staff)")
    COVER_ACTIVE = "cover.active", _("BPJS Ketenagakerjaan cover active")
    COVER_MISSING = (
        "cover.missing",
        _("Trainees without cover three days before the start (to staff)"),
    )
    ASSESSMENT_UPDATE = "assessment.update", _("Competency assessment: a step")
    CREDENTIAL_EXPIRING = "credential.expiring", _("Credential expiring (renewal reminder)")
    CREDENTIAL_EXPIRED = "credential.expired", _("Credential expired")
    PAYEE_CHANGED = "payee.changed", _("Allowance account changed by someone else")


# kind -> (required context keys, optional context keys). `url` is always a path.
CONTEXT_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # Registration: `url` (secret, made at send time) confirms the address the row is
    # sent to; valid_days: optional int, how long the link works.
    Kind.ACCOUNT_VERIFY_EMAIL: ((), ("name", "valid_days")),
    # Django's password reset, queued by accounts.forms.OutboxPasswordResetForm; `url`
    # (secret, made at send time) is the reset link of the recipient.
    Kind.ACCOUNT_PASSWORD_RESET: (("email",), ("name",)),
    # A six-digit code (accounts.codes): code_id is the OneTimeCode's id; purpose its
    # label (lazy: "password reset", "first log-in"); expires_at: datetime; url: the page
    # where it is entered. `code` (secret) is made at send time from the code's row.
    Kind.ACCOUNT_ONE_TIME_CODE: (("code_id", "purpose", "expires_at", "url"), ("name",)),
    # program / cohort: display names (str); url: the applicant's application page.
    Kind.APPLICATION_RECEIVED: (("program", "cohort", "url"), ("name",)),
    Kind.APPLICATION_DOCUMENTS_VERIFIED: (("program", "cohort", "url"), ("name",)),
    # confirm_by: optional date/datetime by which the trainee must confirm.
    Kind.APPLICATION_ACCEPTED: (("program", "cohort", "url"), ("name", "confirm_by")),
    Kind.APPLICATION_RESERVE: (("program", "cohort", "url"), ("name",)),
    # reason: the staff's reason, shown as written (str) or a lazy translation.
    Kind.APPLICATION_NOT_ACCEPTED: (("program", "cohort", "reason", "url"), ("name",)),
    # expires_at: datetime after which the offer lapses; url: the accept/decline page.
    Kind.APPLICATION_SEAT_OFFERED: (("program", "cohort", "expires_at", "url"), ("name",)),
    # Sent the day before the deadline. deadline: date or datetime.
    Kind.APPLICATION_REREGISTRATION_REMINDER: (
        ("program", "cohort", "deadline", "url"),
        ("name",),
    ),
    # The application was withdrawn: by the applicant (by_applicant True, no reason), by
    # staff or for a missed daftar ulang (reason: str, what the person reads).
    Kind.APPLICATION_WITHDRAWN: (
        ("program", "cohort", "url"),
        ("name", "reason", "by_applicant"),
    ),
    # The first-day message, 3 days before the start. starts_on: date; optional: location
    # (where), schedule (when, e.g. "Senin–Jumat, 08.00–16.00 WIB"), bring (what to bring,
    # text with line breaks), contact (whom to ask: a name and a phone number).
    Kind.COHORT_START_REMINDER: (
        ("program", "cohort", "starts_on", "url"),
        ("name", "location", "schedule", "bring", "contact"),
    ),
    # url: where the certificate can be viewed/downloaded (login required).
    Kind.CERTIFICATE_ISSUED: (("program", "certificate_number", "url"), ("name", "cohort")),
    # employer: company name; url: the employer dashboard.
    Kind.EMPLOYER_VERIFIED: (("employer", "url"), ("name",)),
    # After a hire for a job that needs a K3 licence (placements): record its number once
    # the ministry issued it. person: the hire's name; scheme: the licence; vacancy: the
    # job's title; name: the K3 contact's; url: the employer's licences page.
    Kind.EMPLOYER_LICENCE_TO_RECORD: (
        ("employer", "person", "scheme", "vacancy", "url"),
        ("name",),
    ),
    # vacancy: title; url: the vacancy's page.
    Kind.VACANCY_PUBLISHED: (("vacancy", "url"), ("name", "employer")),
    Kind.VACANCY_REJECTED: (("vacancy", "reason", "url"), ("name", "employer")),
    # vacancies: [{"title": str, "count": int, "url": path}, ...] (new applicants per
    # vacancy since the last digest); url: the employer's applicant list. Bulk.
    Kind.EMPLOYER_APPLICANTS_DIGEST: (("employer", "vacancies", "url"), ("name",)),
    # status: the new status's label (pass the lazy `.label` of the choice); note:
    # optional message from the employer. url: the job seeker's application page.
    # interview_at (datetime) / interview_place (str): when the new status is the
    # interview; reason (str): when not selected, the employer's words.
    Kind.JOB_APPLICATION_STATUS_CHANGED: (
        ("vacancy", "employer", "status", "url"),
        ("name", "note", "interview_at", "interview_place", "reason"),
    ),
    # vacancies: [{"title": str, "employer": str, "url": path, "location": str (optional),
    # "closes_on": date (optional)}, ...]; url: the vacancy list. Bulk, weekly;
    # `unsubscribe_url` is added by the outbox.
    Kind.GRADUATE_VACANCY_DIGEST: (("vacancies", "url"), ("name",)),
    # The vacancy closed while the application was in progress. continues (bool): True
    # when the person was invited to an interview or offered the job and the process
    # goes on; False when the application ended with the closing. url: the application.
    Kind.JOB_APPLICATION_VACANCY_CLOSED: (
        ("vacancy", "employer", "continues", "url"),
        ("name",),
    ),
    # The no-ghosting message: the employer has not moved the application for `days`
    # (int) days; status: the current status's label. url: the application.
    Kind.JOB_APPLICATION_NO_RESPONSE: (
        ("vacancy", "employer", "status", "days", "url"),
        ("name",),
    ),
    # The placement tracer, 3 and 6 months after the training ended (reports app).
    # months: 3 or 6 (int); program / cohort: display names; survey: the TracerSurvey id.
    # Secret, made at send time: url (the answer page), url_working / url_not_working
    # (the same page with the answer already chosen: the one-click buttons).
    Kind.TRACER_SURVEY: (("program", "cohort", "months", "survey"), ("name",)),
    # Employer pledges (placements.demand). employer / program / cohort: display names;
    # url: the employer's pledge page (login required). status: the new status's label;
    # reason: staff's words when they declined, or the portal's translated reason.
    Kind.PLEDGE_STATUS_CHANGED: (
        ("employer", "program", "cohort", "status", "url"),
        ("name", "reason"),
    ),
    # To a graduate: the pledging employer's message (str, shown as written); url: the
    # vacancy board.
    Kind.PLEDGE_INVITATION: (("employer", "program", "cohort", "message", "url"), ("name",)),
    # To the employer, a week before the pledged intake ends. ends_on: date.
    Kind.PLEDGE_INTAKE_ENDING: (("employer", "program", "cohort", "ends_on", "url"), ("name",)),
    # To the employer, two weeks before the start window closes with the pledge not met.
    # until: date; done / owed: ints (hired and seats, or invited and graduates).
    Kind.PLEDGE_LAPSING: (
        ("employer", "program", "cohort", "until", "done", "owed", "url"),
        ("name",),
    ),
    # To placement officers: the employer has broken `broken` (int) pledges; url: the
    # admin's pledge list of that employer.
    Kind.PLEDGES_BROKEN: (("employer", "broken", "url"), ("name",)),
    # To a trainee (welfare): the BPJS Ketenagakerjaan cover is active. programmes: "JKK,
    # JKM" (str); starts_on / ends_on: dates; kpj: the KPJ number; phone: whom to call
    # after an accident; url: the dashboard.
    Kind.COVER_ACTIVE: (
        ("program", "cohort", "programmes", "starts_on", "ends_on", "kpj", "phone", "url"),
        ("name",),
    ),
    # To training staff, three days before the start: `missing` (int) trainees of the
    # cohort have no active cover; url: the cohort's cover register in the admin.
    Kind.COVER_MISSING: (("program", "cohort", "starts_on", "missing", "url"), ("name",)),
    # Competency assessment (courses.certification). step: the step's label (registered,
    # Kompeten, Belum Kompeten, certificate arrived: a lazy label); scheme: the scheme's
    # name; date: the assessment's date; number: the BNSP number once it arrived.
    Kind.ASSESSMENT_UPDATE: (("scheme", "date", "step", "url"), ("name", "tuk", "number")),
    # Before expiry, to the holder and (employer-bound credentials) the employer's K3
    # contact. days_left: int; expires_on: date; requirements: [str] (what renewal needs);
    # lead_days: int, file the renewal this many days before expiry; holder: the holder's
    # name (in the employer's copy). url: the holder's credentials page.
    Kind.CREDENTIAL_EXPIRING: (
        ("scheme", "number", "expires_on", "days_left", "requirements", "url"),
        ("name", "holder", "lead_days"),
    ),
    # Once, after expiry; next_intake (str) / next_intake_starts (date): the next
    # refresher intake of the scheme's program, when there is one.
    Kind.CREDENTIAL_EXPIRED: (
        ("scheme", "number", "expires_on", "url"),
        ("name", "holder", "next_intake", "next_intake_starts"),
    ),
    # To a trainee (welfare): someone else (staff) changed the account their allowance of
    # an intake is paid to. provider: the bank or e-wallet; account_end: the number's last
    # four digits (never the full number); changed_at: datetime; url: the trainee's
    # allowance page.
    Kind.PAYEE_CHANGED: (
        ("program", "cohort", "provider", "account_end", "changed_at", "url"),
        ("name",),
    ),
}

# Context keys that hold a link working without a login (its token is the key). They are
# refused in `notification_queue`, made at send time by the maker the owning app
# registers (`notifications.links.secret_link_register`) and hidden in the staff preview.
SECRET_LINK_KEYS: dict[str, tuple[str, ...]] = {
    Kind.ACCOUNT_VERIFY_EMAIL: ("url",),
    Kind.ACCOUNT_PASSWORD_RESET: ("url",),
    Kind.ACCOUNT_ONE_TIME_CODE: ("code",),
    Kind.TRACER_SURVEY: ("url", "url_working", "url_not_working"),
}

# Kinds a recipient can switch off with the one-click link (digests only: transactional
# mail about their own application or account always goes out).
UNSUBSCRIBABLE: frozenset[str] = frozenset(
    {Kind.GRADUATE_VACANCY_DIGEST, Kind.EMPLOYER_APPLICANTS_DIGEST}
)

assert set(CONTEXT_KEYS) == set(Kind.values), "every kind documents its context"

# Kinds that are useless after a moment in their context: a seat offer after it lapsed,
# a reminder after its deadline or start. A row not sent by then (the mail server was
# away) is dropped with that reason instead of arriving late. A date is useful until the
# end of that day in Batang.
USEFUL_UNTIL: dict[str, str] = {
    Kind.APPLICATION_SEAT_OFFERED: "expires_at",
    Kind.APPLICATION_REREGISTRATION_REMINDER: "deadline",
    Kind.COHORT_START_REMINDER: "starts_on",
    Kind.ACCOUNT_ONE_TIME_CODE: "expires_at",
}

# Kinds that lose their worth by the hour (a seat offer valid 48 h, the daftar ulang
# reminder the day before the deadline, a password reset someone waits for): sent on their
# own queue and worker processes, so a slow mail server or a digest batch never holds
# them up (README "Notifications").
TIME_CRITICAL: frozenset[str] = frozenset(
    {
        Kind.APPLICATION_SEAT_OFFERED,
        Kind.APPLICATION_REREGISTRATION_REMINDER,
        Kind.ACCOUNT_PASSWORD_RESET,
        Kind.ACCOUNT_ONE_TIME_CODE,
    }
)


# --- Channels --------------------------------------------------------------------------


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


# The channels each kind may use, in the order of fallback. Every kind may go by e-mail;
# WhatsApp carries the messages about a person's own application, account and training
# (each has its template in `templates_whatsapp.py`, approved by Meta). SMS costs money
# per part: it carries the time-critical kinds, and, after WhatsApp and e-mail, the
# messages a job seeker must not miss (the interview invitation, the first day, a
# withdrawal, the accident-insurance cover, a change of their allowance account) for people with only a phone number and no
# WhatsApp opt-in. Digests and employer mail stay e-mail.
_PERSONAL = (Channel.WHATSAPP, Channel.EMAIL)
_MUST_REACH = (Channel.WHATSAPP, Channel.EMAIL, Channel.SMS)
_URGENT = (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL)
CHANNELS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(Kind.values, (Channel.EMAIL,)),
    Kind.ACCOUNT_PASSWORD_RESET: _URGENT,
    Kind.ACCOUNT_ONE_TIME_CODE: _URGENT,
    Kind.APPLICATION_SEAT_OFFERED: _URGENT,
    Kind.APPLICATION_REREGISTRATION_REMINDER: _URGENT,
    Kind.APPLICATION_ACCEPTED: _PERSONAL,
    Kind.APPLICATION_RESERVE: _PERSONAL,
    Kind.APPLICATION_NOT_ACCEPTED: _PERSONAL,
    Kind.APPLICATION_WITHDRAWN: _MUST_REACH,
    Kind.COHORT_START_REMINDER: _MUST_REACH,
    Kind.CERTIFICATE_ISSUED: _PERSONAL,
    # Its interview invitation has a template of its own (templates_whatsapp.VARIANTS).
    Kind.JOB_APPLICATION_STATUS_CHANGED: _MUST_REACH,
    Kind.TRACER_SURVEY: _PERSONAL,
    Kind.COVER_ACTIVE: _MUST_REACH,
    Kind.ASSESSMENT_UPDATE: _PERSONAL,
    Kind.CREDENTIAL_EXPIRING: _PERSONAL,
    Kind.CREDENTIAL_EXPIRED: _PERSONAL,
    # Where their money goes changed: the person must hear of it, whatever they read.
    Kind.PAYEE_CHANGED: _MUST_REACH,
}

# A time-critical kind falls back to SMS when WhatsApp does not reach the person in time.
assert all(Channel.SMS in CHANNELS[kind] for kind in TIME_CRITICAL)

# A time-critical WhatsApp message not delivered WHATSAPP_FALLBACK_MINUTES after it left
# goes by the next channel; these kinds wait less: a code lives ten minutes.
FALLBACK_AFTER_MINUTES: dict[str, int] = {Kind.ACCOUNT_ONE_TIME_CODE: 2}
assert set(FALLBACK_AFTER_MINUTES) <= TIME_CRITICAL
