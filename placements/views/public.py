"""Public pages: the vacancy board and a vacancy's page."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.cache import public_page_cache
from courses.models import Track

from .. import selectors
from ..forms import VacancyFilterForm

PAGE_SIZE = 20


@login_not_required
@require_GET
@public_page_cache("vacancies", "catalogue", params=(*VacancyFilterForm.base_fields, "page"))
def vacancy_list(request):
    """Public: open vacancies with filters, search and pagination."""
    tracks = list(Track.objects.order_by("position", "name_id"))
    form = VacancyFilterForm(request.GET or None, tracks=tracks)
    filters = form.filters() if request.GET else {}
    queryset = selectors.vacancy_list_public(**{k: v for k, v in filters.items() if v})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/vacancy_list.html",
        {
            "form": form,
            "page": page,
            "vacancies": page.object_list,
            "filtered": any(filters.values()),
        },
    )


@login_not_required
@require_GET
@public_page_cache("vacancies")
def vacancy_detail(request, pk):
    """Public: one published vacancy; a closed one says so (410), others do not exist."""
    vacancy = selectors.vacancy_get_public(pk=pk)
    if not vacancy.is_open_at():
        return render(request, "placements/vacancy_closed.html", {"vacancy": vacancy}, status=410)
    return render(request, "placements/vacancy_detail.html", {"vacancy": vacancy})
