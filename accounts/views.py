"""The log-in page (Django's view, landing each role on its own start page) and the
password reset by e-mail link or by a one-time code (accounts.codes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from .codes import code_password_set, password_reset_request
from .errors import AccountError
from .forms import CodePasswordForm, PasswordResetRequestForm
from .models import User

# Where a person lands after logging in without a `next` page: the page of their work.
LANDING_PAGES = {
    User.Role.JOB_SEEKER: "courses:dashboard",
    User.Role.TRAINER: "courses:trainer-home",
}

# The session remembers what was typed on "Lupa kata sandi", to fill in the code page.
SESSION_LOGIN = "accounts.code_login"


def landing_url(user) -> str:
    landing = LANDING_PAGES.get(user.role)
    if landing is not None and not user.is_staff:
        return reverse(landing)
    return reverse("home")


class LoginView(auth_views.LoginView):
    extra_context = {"title": gettext_lazy("Log in")}

    def get_default_redirect_url(self):
        landing = LANDING_PAGES.get(self.request.user.role)
        if landing is not None and not self.request.user.is_staff:
            return reverse(landing)
        return super().get_default_redirect_url()


class _BadInputIs400:
    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetRequestView(_BadInputIs400, FormView):
    """Anyone: an e-mail gets the reset link, a mobile number a code (same answer for all)."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    extra_context = {"title": gettext_lazy("Reset password")}

    def form_valid(self, form):
        login_value = form.cleaned_data["login"]
        answer = password_reset_request(login=login_value)
        if answer == "code":
            self.request.session[SESSION_LOGIN] = login_value
            messages.info(
                self.request,
                _(
                    "If an account has this number, a code is on its way by WhatsApp or "
                    "SMS. Enter it below."
                ),
            )
            return redirect("password_reset_code")
        return redirect("password_reset_done")


@method_decorator([login_not_required, never_cache], name="dispatch")
@method_decorator(sensitive_post_parameters("code", "new_password1", "new_password2"), "dispatch")
class CodePasswordView(_BadInputIs400, FormView):
    """Anyone: the code and a new password; the owner is logged in."""

    form_class = CodePasswordForm
    template_name = "registration/password_reset_code.html"
    extra_context = {"title": gettext_lazy("Enter your code")}

    def get_initial(self):
        return {"login": self.request.session.get(SESSION_LOGIN, "")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = code_password_set(
                login=data["login"], code=data["code"], password=data["new_password1"]
            )
        except AccountError as exc:
            form.add_error("code", exc.message)
            return self.form_invalid(form)
        self.request.session.pop(SESSION_LOGIN, None)
        # The code proved the number (or mailbox): log the owner in, as the reset link does.
        login(self.request, user, backend="accounts.backends.EmailBackend")
        messages.success(self.request, _("Your new password is saved. You are logged in."))
        return redirect(landing_url(user))
