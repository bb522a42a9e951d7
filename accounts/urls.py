from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import EmailAuthenticationForm, OutboxPasswordResetForm

# Django's own auth views (login, logout, password change and reset), with our
# e-mail login form and templates under templates/registration/. The reset mail is
# queued in the notifications outbox (kind account.password_reset).
urlpatterns = [
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("", include("django.contrib.auth.urls")),
]
