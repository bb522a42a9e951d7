from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.ProgramListView.as_view(), name="program-list"),
    path("courses/<slug:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path(
        "courses/<slug:slug>/apply/<code:code>/",
        views.CohortApplyView.as_view(),
        name="cohort-apply",
    ),
    path("me/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "me/applications/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "me/applications/<int:pk>/withdraw/",
        views.ApplicationWithdrawView.as_view(),
        name="application-withdraw",
    ),
]

# Selection and training (issue 6): see courses/selection_views.py.
from . import selection_views  # noqa: E402

urlpatterns += [
    path(
        "me/applications/<int:pk>/confirm/",
        selection_views.ApplicationConfirmView.as_view(),
        name="application-confirm",
    ),
    path("me/offers/<int:pk>/", selection_views.OfferDetailView.as_view(), name="offer-detail"),
    path(
        "me/certificates/<int:pk>/",
        selection_views.CertificatePrintView.as_view(),
        name="certificate-print",
    ),
    path(
        "cohorts/<code:code>/selection/",
        selection_views.CohortSelectionView.as_view(),
        name="cohort-selection",
    ),
    path(
        "certificates/", selection_views.CertificateLookupView.as_view(), name="certificate-lookup"
    ),
    path(
        "certificates/<code:code>/",
        selection_views.CertificateVerifyView.as_view(),
        name="certificate-verify",
    ),
]
