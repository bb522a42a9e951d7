from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path(
        "email/unsubscribe/<token:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    path("webhooks/whatsapp/", views.WhatsAppWebhookView.as_view(), name="whatsapp-webhook"),
    path("webhooks/sms/<str:token>/", views.SmsReportView.as_view(), name="sms-report"),
]
