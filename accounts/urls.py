from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.ratelimit import client_network, ratelimit

from .forms import EmailAuthenticationForm
from .models import UserManager
from .throttle import account_guard
from .views import CodePasswordView, LoginView, PasswordResetRequestView

# Abuse-prone forms are rate-limited (core.ratelimit; README "Security"). Failed log-ins
# per e-mail + address are also throttled by django-axes.
login_limited = ratelimit(group="login", key="ip", rate="60/10m")


def login_view_guarded(view):
    """Per address (60 POSTs in 10 minutes) and per account (accounts.throttle)."""
    return login_limited(account_guard(view))


def posted_login(request) -> str:
    """The e-mail or number posted as `login`, as the log-in reads it (0812… = +62812…)."""
    value = request.POST.get("login", "") if request.method == "POST" else ""
    normalized = UserManager.normalize_login(value)[:254]
    return f"login:{normalized}" if normalized else f"ip:{client_network(request)}"


reset_limited_per_address = ratelimit(group="password-reset", key="ip", rate="10/h")
# Per mailbox or number, whoever asks: at most 3 links or codes an hour reach a person.
reset_limited_per_login = ratelimit(group="password-reset-login", key=posted_login, rate="3/h")
# Typing codes: 5 wrong tries end a code; these bound the tries across codes and numbers.
code_limited_per_address = ratelimit(group="password-code", key="ip", rate="30/h")
code_limited_per_login = ratelimit(group="password-code-login", key=posted_login, rate="10/h")

# Django's own auth views (login, logout, password change and reset), with our
# e-mail login form, templates under templates/registration/ and our page titles (the
# h1 of narrow_page.html). "Lupa kata sandi" is ours (accounts.codes): an e-mail gets
# Django's reset link (kind account.password_reset), a mobile number a one-time code
# (kind account.one_time_code), both through the outbox.
urlpatterns = [
    path(
        "password_reset/",
        reset_limited_per_address(reset_limited_per_login(PasswordResetRequestView.as_view())),
        name="password_reset",
    ),
    # The one-time code sent to a number (or to a walk-in), and the new password.
    path(
        "password_reset/code/",
        code_limited_per_address(code_limited_per_login(CodePasswordView.as_view())),
        name="password_reset_code",
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
    path(
        "logout/",
        auth_views.LogoutView.as_view(extra_context={"title": _("Logged out")}),
        name="logout",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(title=_("Check your e-mail")),
        name="password_reset_done",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(title=_("Password saved")),
        name="password_reset_complete",
    ),
    path("", include("django.contrib.auth.urls")),
]
