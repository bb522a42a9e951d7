from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.ratelimit import ratelimit

from .forms import EmailAuthenticationForm, OutboxPasswordResetForm

# Abuse-prone forms are rate-limited (core.ratelimit; README "Security"). Failed log-ins
# per e-mail + address are also throttled by django-axes.
login_limited = ratelimit(group="login", key="ip", rate="60/10m")
reset_limited_per_address = ratelimit(group="password-reset", key="ip", rate="10/h")
reset_limited_per_mailbox = ratelimit(group="password-reset-email", key="post:email", rate="3/h")

# Django's own auth views (login, logout, password change and reset), with our
# e-mail login form and templates under templates/registration/. The reset mail is
# queued in the notifications outbox (kind account.password_reset).
urlpatterns = [
    path(
        "password_reset/",
        reset_limited_per_address(
            reset_limited_per_mailbox(
                auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm)
            )
        ),
        name="password_reset",
    ),
    path(
        "login/",
        login_limited(auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm)),
        name="login",
    ),
    path("", include("django.contrib.auth.urls")),
]
