from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from core.ratelimit import ratelimit

from .forms import EmailAuthenticationForm, OutboxPasswordResetForm
from .throttle import account_guard
from .views import LoginView

# Abuse-prone forms are rate-limited (core.ratelimit; README "Security"). Failed log-ins
# per e-mail + address are also throttled by django-axes.
login_limited = ratelimit(group="login", key="ip", rate="60/10m")


def login_view_guarded(view):
    """Per address (60 POSTs in 10 minutes) and per account (accounts.throttle)."""
    return login_limited(account_guard(view))


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
        login_view_guarded(LoginView.as_view(authentication_form=EmailAuthenticationForm)),
        name="login",
    ),
    # The reset link proves the mailbox: it logs the owner in, even while log-in to the
    # account is paused after guessing (accounts.throttle), and clears the count.
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=True,
            post_reset_login_backend="accounts.backends.EmailBackend",
            success_url=reverse_lazy("home"),
        ),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
