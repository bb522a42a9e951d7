from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.ProgramListView.as_view(), name="program-list"),
    path("courses/<slug:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path(
        "courses/<slug:slug>/apply/<str:code>/",
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
