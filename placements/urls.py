from django.urls import path

from .demand import views as demand
from .views import credentials, employer, interviews, public, seeker

app_name = "placements"

# (route, view, name): one row a page, grouped by who uses it.
ROUTES = [
    # Public
    ("vacancies/", public.vacancy_list, "vacancy-list"),
    ("vacancies/<int:pk>/", public.vacancy_detail, "vacancy-detail"),
    # Job seekers
    ("vacancies/<int:pk>/apply/", seeker.vacancy_apply, "vacancy-apply"),
    ("me/jobs/", seeker.job_application_list, "job-application-list"),
    ("me/jobs/<int:pk>/", seeker.job_application_detail, "job-application-detail"),
    ("me/jobs/<int:pk>/withdraw/", seeker.job_application_withdraw, "job-application-withdraw"),
    ("me/job-alerts/", seeker.job_preferences, "job-preferences"),
    # Employers
    ("employers/register/", employer.employer_register, "employer-register"),
    ("employers/", employer.employer_dashboard, "employer-dashboard"),
    ("employers/company/", employer.employer_company, "employer-company"),
    ("employers/vacancies/new/", employer.vacancy_create, "vacancy-create"),
    ("employers/vacancies/<int:pk>/", employer.employer_vacancy_detail, "employer-vacancy-detail"),
    ("employers/vacancies/<int:pk>/edit/", employer.vacancy_edit, "vacancy-edit"),
    ("employers/vacancies/<int:pk>/submit/", employer.vacancy_submit, "vacancy-submit"),
    ("employers/vacancies/<int:pk>/draft/", employer.vacancy_return_to_draft, "vacancy-return-to-draft"),
    ("employers/vacancies/<int:pk>/close/", employer.vacancy_close, "vacancy-close"),
    ("employers/vacancies/<int:pk>/matches/", employer.vacancy_matches, "vacancy-matches"),
    ("employers/applicants/<int:pk>/", employer.employer_job_application_detail, "employer-job-application-detail"),
    ("employers/applicants/<int:pk>/move/<word:to>/", employer.employer_job_application_move, "employer-job-application-move"),
    # Employers: their people's credentials, nominations for assessments
    ("employers/credentials/", credentials.employer_credentials, "employer-credentials"),
    ("employers/credentials/new/", credentials.employer_credential_new, "employer-credential-new"),
    ("employers/nominations/", credentials.employer_nominate, "employer-nominate"),
    ("employers/interviews/", interviews.employer_interview_list, "employer-interview-list"),
    ("employers/interviews/<int:pk>.ics", interviews.employer_interview_ics, "employer-interview-ics"),
    # Employers: demand and pledges
    ("employers/demand/", demand.demand_list, "demand-list"),
    ("employers/demand/new/", demand.demand_create, "demand-create"),
    ("employers/demand/<int:pk>/edit/", demand.demand_edit, "demand-edit"),
    ("employers/demand/<int:pk>/delete/", demand.demand_delete, "demand-delete"),
    ("employers/pledges/", demand.pledge_list, "pledge-list"),
    ("employers/pledges/new/", demand.pledge_create, "pledge-create"),
    ("employers/pledges/<int:pk>/", demand.pledge_detail, "pledge-detail"),
    ("employers/pledges/<int:pk>/withdraw/", demand.pledge_withdraw, "pledge-withdraw"),
    ("employers/pledges/<int:pk>/invite/<int:person>/", demand.pledge_invite, "pledge-invite"),
]  # fmt: skip

urlpatterns = [path(route, view, name=name) for route, view, name in ROUTES]
