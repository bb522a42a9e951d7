from django.urls import path

from . import views

app_name = "welfare"

urlpatterns = [
    path("me/allowance/", views.payee_list, name="payee-list"),
    path("me/allowance/<int:pk>/", views.payee_edit, name="payee-edit"),
]
