"""The error summary every form shows at its top (templates/partials/form_errors.html)."""

import pytest
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import translation


class ContactForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    nik = forms.CharField(label="NIK")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("These details do not match.")


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_summary_links_each_field_error_to_the_field_and_lists_the_others():
    form = ContactForm(data={"email": "not-an-address"})
    html = render('{% include "partials/form_errors.html" %}', form=form)

    assert 'role="alert"' in html
    assert "Mohon perbaiki isian berikut:" in html
    assert "These details do not match." in html
    assert '<a class="alert-link" href="#id_email">E-mail: ' in html
    assert '<a class="alert-link" href="#id_nik">NIK: ' in html
    # A hidden field has nothing to focus: its error is listed without a link.
    assert 'href="#id_token"' not in html
    assert html.count("<li>") == 4
    assert "js/form-errors.js" in html


def test_summary_is_absent_without_errors():
    assert render('{% include "partials/form_errors.html" %}', form=ContactForm()).strip() == ""
    valid_free = ContactForm(data={})
    assert "form-error-summary" in render(
        '{% include "partials/form_errors.html" %}', form=valid_free
    )


def test_crispy_forms_get_the_summary_once_at_the_top():
    form = ContactForm(data={"email": "x"})
    html = render("{% load crispy_forms_tags %}{{ form|crispy }}", form=form)
    assert html.count("form-error-summary") == 1
    assert html.index("form-error-summary") < html.index('id="id_email"')
    assert html.count("These details do not match.") == 1


def test_summary_speaks_english_when_english_is_active():
    with translation.override("en"):
        html = render('{% include "partials/form_errors.html" %}', form=ContactForm(data={}))
    assert "Please correct the following:" in html


@pytest.mark.django_db
def test_failed_login_shows_the_summary_linked_to_the_email_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "form-error-summary" in html
    assert 'href="#id_username"' in html
