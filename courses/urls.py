from django.urls import path

from courses.admissions import views as admissions
from courses.catalogue import views as catalogue
from courses.certification import views as certification
from courses.training import views as training

app_name = "courses"

urlpatterns = [
    path("courses/", catalogue.ProgramListView.as_view(), name="program-list"),
    path("courses/<slug:slug>/", catalogue.ProgramDetailView.as_view(), name="program-detail"),
    path(
        "courses/<slug:slug>/apply/<code:code>/",
        admissions.CohortApplyView.as_view(),
        name="cohort-apply",
    ),
    path("me/", admissions.DashboardView.as_view(), name="dashboard"),
    path(
        "me/applications/<int:pk>/",
        admissions.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "me/applications/<int:pk>/withdraw/",
        admissions.ApplicationWithdrawView.as_view(),
        name="application-withdraw",
    ),
    path(
        "me/applications/<int:pk>/confirm/",
        admissions.ApplicationConfirmView.as_view(),
        name="application-confirm",
    ),
    path("me/offers/<int:pk>/", admissions.OfferDetailView.as_view(), name="offer-detail"),
    path(
        "me/certificates/<int:pk>/",
        training.CertificatePrintView.as_view(),
        name="certificate-print",
    ),
    path(
        "cohorts/<code:code>/selection/",
        admissions.CohortSelectionView.as_view(),
        name="cohort-selection",
    ),
    path(
        "cohorts/<code:code>/selection/draw/",
        admissions.CohortDrawView.as_view(),
        name="cohort-draw",
    ),
    path("trainer/", training.TrainerHomeView.as_view(), name="trainer-home"),
    path(
        "trainer/<code:code>/",
        training.TrainerSessionView.as_view(),
        name="trainer-session",
    ),
    path("me/credentials/", certification.CredentialListView.as_view(), name="credential-list"),
    path(
        "me/assessments/<int:pk>/register/",
        certification.AssessmentRegisterView.as_view(),
        name="assessment-register",
    ),
    path(
        "me/registrations/<int:pk>/apl/",
        certification.AssessmentAplUploadView.as_view(),
        name="registration-apl-upload",
    ),
    path("credentials/", certification.CredentialLookupView.as_view(), name="credential-lookup"),
    path(
        "credentials/<code:code>/",
        certification.CredentialVerifyView.as_view(),
        name="credential-verify",
    ),
    path("certificates/", training.CertificateLookupView.as_view(), name="certificate-lookup"),
    path(
        "certificates/<code:code>/",
        training.CertificateVerifyView.as_view(),
        name="certificate-verify",
    ),
]
