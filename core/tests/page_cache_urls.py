"""A tiny URLconf for the page-cache tests: views that count how often they render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils import translation

from core.cache import public_page_cache

CALLS = {"page": 0, "other": 0, "csrf": 0, "message": 0}


@login_not_required
@public_page_cache("catalogue", params=("page", "q"))
def page(request):
    CALLS["page"] += 1
    seen = request.GET.urlencode()
    return HttpResponse(f"page {CALLS['page']} {translation.get_language()} [{seen}] " + "x" * 300)


@login_not_required
@public_page_cache("vacancies")
def other(request):
    CALLS["other"] += 1
    return HttpResponse(f"other {CALLS['other']}")


@login_not_required
@public_page_cache("catalogue")
def uses_csrf(request):
    CALLS["csrf"] += 1
    return HttpResponse(f"form {get_token(request)}")


@login_not_required
def add_message(request):
    messages.info(request, "Tersimpan")
    return HttpResponse("ok")


urlpatterns = [
    path("page/", page),
    path("other/", other),
    path("csrf/", uses_csrf),
    path("message/", add_message),
]
