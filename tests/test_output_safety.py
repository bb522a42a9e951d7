"""Output safety: every free text one person writes and another reads is shown escaped.

Each field gets a script payload with its own marker, written straight into the database
(as if a form had let it through), then the page where someone else reads it is opened:
the payload must appear as text (`&lt;script&gt;`), never as markup. The CSP would block
an injected script anyway; this proves the first line of defence.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def payload(marker: str) -> str:
    return f'<script>alert("{marker}")</script><img src=x onerror=alert("{marker}")>'


def assert_escaped(body: str, marker: str, where: str) -> None:
    assert f'<script>alert("{marker}")' not in body, f"{marker} runs as a script on {where}"
    assert "<img src=x onerror=alert" not in body, f"{marker} is markup on {where}"
    assert f"&lt;script&gt;alert(&quot;{marker}&quot;)" in body, (
        f"{marker} is not shown on {where} (the test would prove nothing)"
    )


@pytest.fixture
def world():
    return build_world()


def _get(world, role, url) -> str:
    client = Client()
    if world.user(role) is not None:
        client.force_login(world.user(role))
    response = client.get(url)
    assert response.status_code == 200, (role, url, response.status_code)
    return response.content.decode()


def _set(obj, **fields):
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()


def _plant(obj, **markers):
    """Store the payload of a marker in each field (`title="vacancy-title"`), cut to the
    field's length."""
    length = {field: type(obj)._meta.get_field(field).max_length for field in markers}
    _set(obj, **{field: payload(marker)[: length[field]] for field, marker in markers.items()})


# Public pages: the objects planted (each field gets a payload marked "<object>.<field>"),
# then the pages that show them: (URL name, the object and attribute its URL takes, the
# markers the page shows, where: "all" of them or those named).
PUBLIC_PAGES = {
    "vacancy board": (
        {"vacancy_a": ("title", "description", "work_location"), "employer_a": ("name",)},
        [
            ("placements:vacancy-detail", ("vacancy_a", "pk"), "all", "the vacancy page"),
            (
                "placements:vacancy-list",
                None,
                ("vacancy_a.title", "employer_a.name"),
                "the vacancy board",
            ),
        ],
    ),
    "catalogue": (
        {"program": ("title", "description", "extra_requirements"), "cohort": ("location",)},
        [("courses:program-detail", ("program", "slug"), "all", "the program page")],
    ),
}


@pytest.mark.parametrize("case", PUBLIC_PAGES)
def test_texts_are_escaped_on_the_public_pages(world, case):
    planted, pages = PUBLIC_PAGES[case]
    markers = []
    for name, fields in planted.items():
        _plant(world.obj(name), **{field: f"{name}.{field}" for field in fields})
        markers += [f"{name}.{field}" for field in fields]
    for url_name, key, shown, where in pages:
        args = [getattr(world.obj(key[0]), key[1])] if key else []
        # Read as a signed-in person: anonymous visitors may get a page cached by another test.
        body = _get(world, "seeker_b", reverse(url_name, args=args))
        for marker in markers if shown == "all" else shown:
            assert_escaped(body, marker, where)


def test_applicant_texts_are_escaped_for_the_employer(world):
    application = world.obj("job_application_a")
    _set(application, cover_note=payload("cover-note"), snapshot={})
    _plant(world.user("seeker_a"), full_name="applicant-name")
    body = _get(
        world,
        "employer_a",
        reverse("placements:employer-job-application-detail", args=[application.pk]),
    )
    assert_escaped(body, "cover-note", "the employer's applicant page")
    assert_escaped(body, "applicant-name", "the employer's applicant page")


def test_staff_reasons_are_escaped_for_the_employer(world):
    draft = world.obj("vacancy_a_draft")
    _set(draft, status="rejected", rejection_reason=payload("rejection-reason"))
    body = _get(world, "employer_a", reverse("placements:employer-vacancy-detail", args=[draft.pk]))
    assert_escaped(body, "rejection-reason", "the employer's vacancy page")


def test_employer_reasons_are_escaped_for_the_job_seeker(world):
    application = world.obj("job_application_a")
    _set(application, status="not_selected", not_selected_reason=payload("not-selected"))
    body = _get(
        world, "seeker_a", reverse("placements:job-application-detail", args=[application.pk])
    )
    assert_escaped(body, "not-selected", "the job seeker's application page")


def test_selection_reasons_are_escaped_on_the_applicants_timeline(world):
    from courses.models import ApplicationEvent

    application = world.obj("application_a")
    ApplicationEvent.objects.create(
        application=application,
        from_status=application.status,
        to_status=application.status,
        reason=payload("selection-reason"),
    )
    body = _get(world, "seeker_a", reverse("courses:application-detail", args=[application.pk]))
    assert_escaped(body, "selection-reason", "the applicant's timeline")


def test_job_seeker_texts_are_escaped_in_the_staff_admin(world):
    trainee = world.obj("trainee_a")
    _plant(trainee, address="address", school="school", major="major")
    _plant(world.user("seeker_a"), full_name="full-name")
    change = _get(world, "staff", reverse("admin:trainees_trainee_change", args=[trainee.pk]))
    for marker in ("address", "school", "major"):
        assert_escaped(change, marker, "the admin's job-seeker page")
    listing = _get(world, "staff", reverse("admin:trainees_trainee_changelist"))
    assert_escaped(listing, "full-name", "the admin's job-seeker list")


def test_motivation_is_escaped_in_the_staff_admin(world):
    application = world.obj("application_a")
    _plant(application, motivation="motivation")
    body = _get(
        world, "superuser", reverse("admin:courses_application_change", args=[application.pk])
    )
    assert_escaped(body, "motivation", "the admin's application page")


def test_company_texts_are_escaped_in_the_staff_admin(world):
    employer, vacancy = world.obj("employer_a"), world.obj("vacancy_a")
    _plant(employer, name="admin-company", address="company-address")
    _plant(vacancy, description="admin-description")
    body = _get(world, "superuser", reverse("admin:placements_employer_change", args=[employer.pk]))
    assert_escaped(body, "company-address", "the admin's employer page")
    body = _get(world, "superuser", reverse("admin:placements_vacancy_change", args=[vacancy.pk]))
    assert_escaped(body, "admin-description", "the admin's vacancy page")
    listing = _get(world, "superuser", reverse("admin:placements_employer_changelist"))
    assert_escaped(listing, "admin-company", "the admin's employer list")
