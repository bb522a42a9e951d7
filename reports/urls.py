from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("tracer/<token:token>/", views.tracer_answer, name="tracer-answer"),
]
