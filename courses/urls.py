from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.ProgramListView.as_view(), name="program-list"),
    path("courses/<slug:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
]
