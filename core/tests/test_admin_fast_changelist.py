"""The changelist's row checkbox, written without the widget template, is Django's."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from core.admin import FastChangeListMixin

pytestmark = pytest.mark.django_db


class _Plain(admin.ModelAdmin):
    pass


class _Fast(FastChangeListMixin, admin.ModelAdmin):
    pass


@pytest.mark.parametrize("name", ["Budi", 'Siti "<b>Aminah</b>" & co'])
def test_row_checkbox_is_the_markup_django_renders(name):
    User = get_user_model()
    user = User(pk=42, email="x@example.com", full_name=name)
    site = admin.AdminSite()
    plain, fast = _Plain(User, site), _Fast(User, site)
    assert str(fast.action_checkbox(user)) == str(plain.action_checkbox(user))


def test_an_empty_error_list_is_nothing_and_a_full_one_is_djangos():
    from django.forms.utils import ErrorList

    from core.admin import QuietErrorList

    assert str(QuietErrorList()) == "" and QuietErrorList().__html__() == ""
    errors = ["Nilai harus antara 0 dan 100."]
    assert str(QuietErrorList(errors)) == str(ErrorList(errors)) != ""


@pytest.mark.parametrize("query", ["", "?q=Budi&role__exact=job_seeker", "?o=2&p=1"])
def test_row_links_keep_the_lists_filters_as_django_writes_them(rf, admin_user, query):
    from django.contrib.admin.templatetags.admin_urls import add_preserved_filters

    User = get_user_model()
    site = admin.AdminSite()
    site.register(User, _Fast)
    plain, fast = _Plain(User, site), site._registry[User]
    request = rf.get("/admin/accounts/user/" + query)
    request.user = admin_user
    rows = fast.get_changelist_instance(request)
    stock = plain.get_changelist_instance(request)
    assert rows.preserved_filters == "" and stock.preserved_filters == rows.row_filters
    django_url = add_preserved_filters(
        {"preserved_filters": stock.preserved_filters, "opts": stock.opts},
        stock.url_for_result(admin_user),
    )
    assert rows.url_for_result(admin_user) == django_url


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        ("NumberInput", None, {"step": "0.01", "min": 0}),
        ("NumberInput", 87.5, {"required": True, "disabled": False}),
        ("TextInput", 'Siti "<b>" & co', {"class": "vTextField", "maxlength": 20}),
        ("HiddenInput", 42, {"id": "id_form-0-id"}),
        ("HiddenInput", "", {}),
    ],
)
def test_a_plain_input_written_directly_is_the_markup_django_renders(widget, value, attrs):
    from django import forms
    from django.forms.renderers import get_default_renderer

    from core.admin import DIRECT_INPUTS

    field = getattr(forms, widget)(attrs=attrs)
    ours = field.render("form-0-score", value, renderer=DIRECT_INPUTS)
    djangos = field.render("form-0-score", value, renderer=get_default_renderer())
    assert ours == djangos


def test_other_widgets_are_rendered_as_the_default_renderer_does():
    from django import forms
    from django.forms.renderers import get_default_renderer

    from core.admin import DIRECT_INPUTS

    select = forms.Select(choices=[("1", "Satu"), ("2", "Dua <2>")])
    assert select.render("x", "2", renderer=DIRECT_INPUTS) == select.render(
        "x", "2", renderer=get_default_renderer()
    )
