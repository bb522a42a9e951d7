from django.urls import path

from . import views

app_name = "trainees"

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/verify/resend/", views.verification_resend, name="verify-email-resend"),
    path("accounts/verify/<token:token>/", views.verify_email, name="verify-email"),
    path("me/profile/", views.profile, name="profile"),
    path("me/documents/", views.document_upload, name="document-upload"),
    path("me/documents/<int:pk>/delete/", views.document_delete, name="document-delete"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("documents/<int:pk>/preview/", views.document_preview, name="document-preview"),
    path("staff/job-seekers/register/", views.walk_in_register, name="walk-in-register"),
]
