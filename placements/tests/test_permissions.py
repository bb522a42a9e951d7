"""Who may open which placements URL: every route, every kind of visitor.

Roles: anonymous, a job seeker (owner of the job application), another job seeker,
the employer owning the vacancy (A), another employer (B), training staff. Objects of
A reached by B answer 404 (they do not exist for B), never 403, so ids leak nothing.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from placements.models import JobApplication, Vacancy

from .factories import (
    DemandFactory,
    EmployerFactory,
    JobApplicationFactory,
    PledgeFactory,
    StaffFactory,
    VacancyFactory,
    employer_account,
    ended_cohort,
    graduate,
    job_seeker,
    vacancy_post,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "seeker", "other_seeker", "employer_a", "employer_b", "staff")
LOGIN = "login"  # a redirect to the login page


@pytest.fixture
def world():
    employer_a = EmployerFactory()
    vacancy = VacancyFactory(employer=employer_a)
    draft = VacancyFactory(employer=employer_a, draft=True)
    seeker = job_seeker()
    application = JobApplicationFactory(vacancy=vacancy, person=seeker)
    interview = JobApplicationFactory(
        vacancy=vacancy,
        person=job_seeker(),
        status="interview",
        interview_at=timezone.now() + datetime.timedelta(days=3),
        interview_place="Kantor HRD, KITB",
    )
    # A's demand; A's accepted pledges for an intake that ended (with a graduate who
    # agreed to be found, and one who did not) and for one still in training.
    cohort = ended_cohort()
    return {
        "vacancy": vacancy,
        "draft": draft,
        "application": application,
        "interview": interview,
        "demand": DemandFactory(employer=employer_a),
        "pledge": PledgeFactory(employer=employer_a, cohort=cohort),
        "pledge_offered": PledgeFactory(employer=employer_a, offered=True),
        "pledge_running": PledgeFactory(employer=employer_a),
        "graduate": graduate(cohort, user__full_name="Dewi Lestari"),
        "graduate_private": graduate(cohort, consent=False, user__full_name="Rina Wulandari"),
        "users": {
            "anonymous": None,
            "seeker": seeker,
            "other_seeker": job_seeker(),
            "employer_a": employer_account(employer_a),
            "employer_b": employer_account(EmployerFactory()),
            "staff": StaffFactory(),
        },
    }


def _expect(anonymous, seeker, other_seeker, employer_a, employer_b, staff):
    return dict(
        zip(ROLES, (anonymous, seeker, other_seeker, employer_a, employer_b, staff), strict=True)
    )


def pk_of(key):
    """The kwargs builder of a route taking the pk of the world's object `key`."""
    return lambda w: {"pk": w[key].pk}


# A page every employer opens; a page of A's own object (B gets 404: ids reveal nothing).
EVERY_EMPLOYER = _expect(LOGIN, 403, 403, 200, 200, 403)
EMPLOYER_A_ONLY = _expect(LOGIN, 403, 403, 200, 404, 403)

# (url name, kwargs builder, method, expected status per role)
MATRIX = [
    ("vacancy-list", lambda w: {}, "get", _expect(200, 200, 200, 200, 200, 200)),
    ("vacancy-detail", pk_of("vacancy"), "get", _expect(200, 200, 200, 200, 200, 200)),
    ("vacancy-detail", pk_of("draft"), "get", _expect(404, 404, 404, 404, 404, 404)),
    ("vacancy-apply", pk_of("vacancy"), "get", _expect(LOGIN, 302, 200, 403, 403, 403)),
    ("vacancy-apply", pk_of("draft"), "get", _expect(LOGIN, 404, 404, 404, 404, 404)),
    ("job-application-list", lambda w: {}, "get", _expect(LOGIN, 200, 200, 403, 403, 403)),
    (
        "job-application-detail",
        pk_of("application"),
        "get",
        _expect(LOGIN, 200, 404, 403, 403, 403),
    ),
    (
        "job-application-withdraw",
        pk_of("application"),
        "post",
        _expect(LOGIN, 302, 404, 403, 403, 403),
    ),
    ("job-preferences", lambda w: {}, "get", _expect(LOGIN, 200, 200, 403, 403, 403)),
    ("employer-register", lambda w: {}, "get", _expect(200, 302, 302, 302, 302, 302)),
    ("employer-dashboard", lambda w: {}, "get", EVERY_EMPLOYER),
    ("employer-company", lambda w: {}, "get", EVERY_EMPLOYER),
    ("vacancy-create", lambda w: {}, "get", EVERY_EMPLOYER),
    ("employer-vacancy-detail", pk_of("vacancy"), "get", EMPLOYER_A_ONLY),
    ("vacancy-edit", pk_of("draft"), "get", EMPLOYER_A_ONLY),
    ("vacancy-edit", pk_of("draft"), "post", _expect(LOGIN, 403, 403, 400, 404, 403)),
    ("vacancy-submit", pk_of("draft"), "post", _expect(LOGIN, 403, 403, 302, 404, 403)),
    ("vacancy-return-to-draft", pk_of("draft"), "post", _expect(LOGIN, 403, 403, 302, 404, 403)),
    ("vacancy-close", pk_of("vacancy"), "post", _expect(LOGIN, 403, 403, 302, 404, 403)),
    ("vacancy-matches", pk_of("vacancy"), "get", EMPLOYER_A_ONLY),
    ("employer-job-application-detail", pk_of("application"), "get", EMPLOYER_A_ONLY),
    (
        "employer-job-application-move",
        lambda w: {"pk": w["application"].pk, "to": "shortlisted"},
        "post",
        _expect(LOGIN, 403, 403, 302, 404, 403),
    ),
    # Demand and pledges: an employer sees only its own.
    ("employer-interview-list", lambda w: {}, "get", EVERY_EMPLOYER),
    ("employer-interview-ics", pk_of("interview"), "get", EMPLOYER_A_ONLY),
    ("employer-credentials", lambda w: {}, "get", EVERY_EMPLOYER),
    ("employer-credential-new", lambda w: {}, "get", EVERY_EMPLOYER),
    ("employer-nominate", lambda w: {}, "get", EVERY_EMPLOYER),
    ("demand-list", lambda w: {}, "get", EVERY_EMPLOYER),
    ("demand-create", lambda w: {}, "get", EVERY_EMPLOYER),
    ("demand-create", lambda w: {}, "post", _expect(LOGIN, 403, 403, 400, 400, 403)),
    ("demand-edit", pk_of("demand"), "get", EMPLOYER_A_ONLY),
    ("demand-edit", pk_of("demand"), "post", _expect(LOGIN, 403, 403, 400, 404, 403)),
    ("demand-delete", pk_of("demand"), "post", _expect(LOGIN, 403, 403, 302, 404, 403)),
    ("pledge-list", lambda w: {}, "get", EVERY_EMPLOYER),
    ("pledge-create", lambda w: {}, "get", EVERY_EMPLOYER),
    ("pledge-create", lambda w: {}, "post", _expect(LOGIN, 403, 403, 400, 400, 403)),
    ("pledge-detail", pk_of("pledge"), "get", EMPLOYER_A_ONLY),
    ("pledge-withdraw", pk_of("pledge_offered"), "post", _expect(LOGIN, 403, 403, 302, 404, 403)),
    (
        "pledge-invite",
        lambda w: {"pk": w["pledge"].pk, "person": w["graduate"].pk},
        "post",
        _expect(LOGIN, 403, 403, 400, 404, 403),  # no message: nothing sent
    ),
    (
        "pledge-invite",
        lambda w: {"pk": w["pledge"].pk, "person": w["graduate_private"].pk},
        "post",
        _expect(LOGIN, 403, 403, 404, 404, 403),
    ),
]


def test_the_matrix_covers_every_placements_route():
    names = {
        name
        for name, pattern in get_resolver().namespace_dict["placements"][1].reverse_dict.items()
        if isinstance(name, str)
    }
    assert names == {row[0] for row in MATRIX}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "expected"),
    MATRIX,
    ids=[f"{row[2]}-{row[0]}-{i}" for i, row in enumerate(MATRIX)],
)
def test_permission_matrix(client, world, role, name, kwargs, method, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(f"placements:{name}", kwargs=kwargs(world))
    response = getattr(client, method)(url)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == want, (role, name, response.status_code)


def test_employer_b_cannot_post_a_vacancy_in_employer_a_name(client, world):
    employer_b_user = world["users"]["employer_b"]
    employer_a = world["vacancy"].employer
    client.force_login(employer_b_user)
    response = client.post(
        reverse("placements:vacancy-create"),
        vacancy_post(employer=employer_a.pk, title="Lowongan palsu"),
    )
    assert response.status_code == 302
    created = Vacancy.objects.get(title="Lowongan palsu")
    assert created.employer == employer_b_user.employer_membership.employer


def test_employer_b_cannot_change_employer_a_company(client, world):
    employer_a = world["vacancy"].employer
    client.force_login(world["users"]["employer_b"])
    client.post(reverse("placements:employer-company"), {"name": "Dibajak", "pk": employer_a.pk})
    employer_a.refresh_from_db()
    assert employer_a.name != "Dibajak"


def test_employer_a_move_leaves_b_untouched_and_b_move_changes_nothing(client, world):
    application = world["application"]
    client.force_login(world["users"]["employer_b"])
    client.post(
        reverse("placements:employer-job-application-move", args=[application.pk, "not_selected"]),
        {"not_selected-reason": "x"},
    )
    application.refresh_from_db()
    assert application.status == JobApplication.Status.APPLIED


def test_graduates_appear_only_after_the_intake_ended_and_with_consent(client, world):
    client.force_login(world["users"]["employer_a"])
    ended = client.get(reverse("placements:pledge-detail", args=[world["pledge"].pk]))
    running = client.get(reverse("placements:pledge-detail", args=[world["pledge_running"].pk]))
    first = world["graduate"].full_name.split(" ")[0]
    hidden = world["graduate_private"].full_name.split(" ")[0]
    assert ended.content.decode().count('data-testid="graduate-card"') == 1
    assert first in ended.content.decode() and hidden not in ended.content.decode()
    assert 'data-testid="graduate-card"' not in running.content.decode()


def test_employer_a_invites_a_consenting_graduate_once(client, world):
    pledge, person = world["pledge"], world["graduate"]
    client.force_login(world["users"]["employer_a"])
    url = reverse("placements:pledge-invite", args=[pledge.pk, person.pk])
    assert client.post(url, {"message": "Silakan datang"}).status_code == 302
    assert client.post(url, {"message": "Lagi"}).status_code == 302
    assert list(pledge.invitations.values_list("person", "message")) == [
        (person.pk, "Silakan datang")
    ]


def test_no_invitation_for_an_intake_still_in_training(client, world):
    running = world["pledge_running"]
    person = graduate(running.cohort)
    client.force_login(world["users"]["employer_a"])
    response = client.post(
        reverse("placements:pledge-invite", args=[running.pk, person.pk]), {"message": "Halo"}
    )
    assert response.status_code == 302
    assert not running.invitations.exists()


def test_employer_b_sees_none_of_a_demand_or_pledges(client, world):
    client.force_login(world["users"]["employer_b"])
    demand = client.get(reverse("placements:demand-list")).content.decode()
    pledges = client.get(reverse("placements:pledge-list")).content.decode()
    assert 'data-testid="demand-card"' not in demand
    assert 'data-testid="pledge-card"' not in pledges


def test_employer_list_shows_only_own_applicants(client, world):
    other = JobApplicationFactory(vacancy=VacancyFactory(employer=EmployerFactory()))
    client.force_login(world["users"]["employer_a"])
    body = client.get(
        reverse("placements:employer-vacancy-detail", args=[world["vacancy"].pk])
    ).content.decode()
    assert world["application"].person.get_full_name() in body
    assert other.person.get_full_name() not in body
