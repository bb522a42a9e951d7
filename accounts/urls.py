from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import EmailAuthenticationForm

# Django's own auth views (login, logout, password change and reset), with our
# e-mail login form and templates under templates/registration/.
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("", include("django.contrib.auth.urls")),
]
