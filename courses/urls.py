from django.urls import path

from courses.admissions.views import (
    ApplicationConfirmView,
    ApplicationDetailView,
    ApplicationWithdrawView,
    CohortApplyView,
    CohortDrawView,
    CohortSelectionView,
    DashboardView,
    OfferDetailView,
)
from courses.catalogue.views import ProgramDetailView, ProgramListView
from courses.certification.views import (
    AssessmentAplUploadView,
    AssessmentRegisterView,
    CredentialListView,
    CredentialLookupView,
    CredentialVerifyView,
)
from courses.training.views import (
    CertificateLookupView,
    CertificatePrintView,
    CertificateVerifyView,
    TrainerHomeView,
    TrainerSessionView,
)

app_name = "courses"

# (route, view, name): every page of courses is a class-based view.
ROUTES = [
    ("courses/", ProgramListView, "program-list"),
    ("courses/<slug:slug>/", ProgramDetailView, "program-detail"),
    ("courses/<slug:slug>/apply/<code:code>/", CohortApplyView, "cohort-apply"),
    ("me/", DashboardView, "dashboard"),
    ("me/applications/<int:pk>/", ApplicationDetailView, "application-detail"),
    ("me/applications/<int:pk>/withdraw/", ApplicationWithdrawView, "application-withdraw"),
    ("me/applications/<int:pk>/confirm/", ApplicationConfirmView, "application-confirm"),
    ("me/offers/<int:pk>/", OfferDetailView, "offer-detail"),
    ("me/certificates/<int:pk>/", CertificatePrintView, "certificate-print"),
    ("cohorts/<code:code>/selection/", CohortSelectionView, "cohort-selection"),
    ("cohorts/<code:code>/selection/draw/", CohortDrawView, "cohort-draw"),
    ("trainer/", TrainerHomeView, "trainer-home"),
    ("trainer/<code:code>/", TrainerSessionView, "trainer-session"),
    ("me/credentials/", CredentialListView, "credential-list"),
    ("me/assessments/<int:pk>/register/", AssessmentRegisterView, "assessment-register"),
    ("me/registrations/<int:pk>/apl/", AssessmentAplUploadView, "registration-apl-upload"),
    ("credentials/", CredentialLookupView, "credential-lookup"),
    ("credentials/<code:code>/", CredentialVerifyView, "credential-verify"),
    ("certificates/", CertificateLookupView, "certificate-lookup"),
    ("certificates/<code:code>/", CertificateVerifyView, "certificate-verify"),
]

urlpatterns = [path(route, view.as_view(), name=name) for route, view, name in ROUTES]
