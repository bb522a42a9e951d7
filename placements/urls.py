from django.urls import path

from .demand import views as demand
from .views import credentials, employer, interviews, public, seeker

app_name = "placements"

urlpatterns = [
    # Public
    path("vacancies/", public.vacancy_list, name="vacancy-list"),
    path("vacancies/<int:pk>/", public.vacancy_detail, name="vacancy-detail"),
    # Job seekers
    path("vacancies/<int:pk>/apply/", seeker.vacancy_apply, name="vacancy-apply"),
    path("me/jobs/", seeker.job_application_list, name="job-application-list"),
    path("me/jobs/<int:pk>/", seeker.job_application_detail, name="job-application-detail"),
    path(
        "me/jobs/<int:pk>/withdraw/",
        seeker.job_application_withdraw,
        name="job-application-withdraw",
    ),
    path("me/job-alerts/", seeker.job_preferences, name="job-preferences"),
    # Employers
    path("employers/register/", employer.employer_register, name="employer-register"),
    path("employers/", employer.employer_dashboard, name="employer-dashboard"),
    path("employers/company/", employer.employer_company, name="employer-company"),
    path("employers/vacancies/new/", employer.vacancy_create, name="vacancy-create"),
    path(
        "employers/vacancies/<int:pk>/",
        employer.employer_vacancy_detail,
        name="employer-vacancy-detail",
    ),
    path("employers/vacancies/<int:pk>/edit/", employer.vacancy_edit, name="vacancy-edit"),
    path("employers/vacancies/<int:pk>/submit/", employer.vacancy_submit, name="vacancy-submit"),
    path(
        "employers/vacancies/<int:pk>/draft/",
        employer.vacancy_return_to_draft,
        name="vacancy-return-to-draft",
    ),
    path("employers/vacancies/<int:pk>/close/", employer.vacancy_close, name="vacancy-close"),
    path(
        "employers/vacancies/<int:pk>/matches/",
        employer.vacancy_matches,
        name="vacancy-matches",
    ),
    path(
        "employers/applicants/<int:pk>/",
        employer.employer_job_application_detail,
        name="employer-job-application-detail",
    ),
    path(
        "employers/applicants/<int:pk>/move/<word:to>/",
        employer.employer_job_application_move,
        name="employer-job-application-move",
    ),
    # Employers: their people's credentials, nominations for assessments
    path("employers/credentials/", credentials.employer_credentials, name="employer-credentials"),
    path(
        "employers/credentials/new/",
        credentials.employer_credential_new,
        name="employer-credential-new",
    ),
    path("employers/nominations/", credentials.employer_nominate, name="employer-nominate"),
    path(
        "employers/interviews/", interviews.employer_interview_list, name="employer-interview-list"
    ),
    path(
        "employers/interviews/<int:pk>.ics",
        interviews.employer_interview_ics,
        name="employer-interview-ics",
    ),
    # Employers: demand and pledges
    path("employers/demand/", demand.demand_list, name="demand-list"),
    path("employers/demand/new/", demand.demand_create, name="demand-create"),
    path("employers/demand/<int:pk>/edit/", demand.demand_edit, name="demand-edit"),
    path("employers/demand/<int:pk>/delete/", demand.demand_delete, name="demand-delete"),
    path("employers/pledges/", demand.pledge_list, name="pledge-list"),
    path("employers/pledges/new/", demand.pledge_create, name="pledge-create"),
    path("employers/pledges/<int:pk>/", demand.pledge_detail, name="pledge-detail"),
    path("employers/pledges/<int:pk>/withdraw/", demand.pledge_withdraw, name="pledge-withdraw"),
    path(
        "employers/pledges/<int:pk>/invite/<int:person>/",
        demand.pledge_invite,
        name="pledge-invite",
    ),
]
