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
