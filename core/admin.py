"""Admin building blocks shared by the apps, and the personal-data audit trail's admin."""

import functools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q, TextChoices
from django.forms.renderers import get_default_renderer
from django.forms.utils import ErrorList
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import AuditEvent


def admin_run_per_row(request, queryset, action, done_message) -> None:
    """Run `action(obj)` on each selected row; a `DomainError` refuses that row only.

    Reports one line for what was done (`done_message` % {"items": ...}) and one per
    refusal with its reason, so a bulk action never stops at the first refusal.
    """
    done, refused = [], []
    for obj in queryset:
        try:
            action(obj)
        except DomainError as exc:
            refused.append((str(obj), exc.message))
        else:
            done.append(str(obj))
    if done:
        messages.success(request, done_message % {"items": ", ".join(done)})
    for name, reason in refused:
        messages.warning(request, _("%(item)s: %(reason)s") % {"item": name, "reason": reason})


def admin_action_per_row(service, subject: str, *, description, done_message, **options):
    """A bulk action calling `service(<subject>=row, actor=request.user)` on each selected
    row, refusals reported row by row (`admin_run_per_row`); `options` go to
    `admin.action` (its permissions)."""

    @admin.action(description=description, **options)
    def action(model_admin, request, queryset):
        admin_run_per_row(
            request,
            queryset,
            lambda row: service(**{subject: row}, actor=request.user),
            done_message,
        )

    return action


class QuietErrorList(ErrorList):
    """An error list that renders nothing, without a template, while it is empty.

    The changelist writes every editable cell's errors before its input, and Django
    renders an empty list through the error templates: 100 renders on a page of 50
    applications with two score columns.
    """

    def render(self, *args, **kwargs):
        return super().render(*args, **kwargs) if self else ""

    __str__ = __html__ = render


# Django's input widgets whose template is only `{% include "django/forms/widgets/input.html" %}`.
_PLAIN_INPUTS = {
    f"django/forms/widgets/{kind}.html" for kind in ("number", "text", "hidden", "input")
}


class DirectInputRenderer(get_default_renderer().__class__):
    """The form renderer of the changelists' editable cells: a plain `<input>` is written
    directly, with the markup of Django's templates, instead of through two nested
    templates. 50 rows with two score columns and the hidden id render 150 of them:
    about a third of the page's rendering in the profile. Anything else is rendered as
    the default renderer does."""

    def render(self, template_name, context, request=None):
        if template_name not in _PLAIN_INPUTS:
            return super().render(template_name, context, request=request)
        widget = context["widget"]
        html = [format_html('<input type="{}" name="{}"', widget["type"], widget["name"])]
        if widget["value"] is not None:
            html.append(format_html(' value="{}"', widget["value"]))
        for name, value in widget["attrs"].items():
            if value is True:
                html.append(format_html(" {}", name))
            elif value is not False:
                html.append(format_html(' {}="{}"', name, value))
        html.append(">")
        return mark_safe("".join(html))  # noqa: S308 - every part escaped by format_html


class _RowLinksChangeList(ChangeList):
    """Each row's link carries the list's filters (back to the same filtered page after
    saving), as Django's do, but joined once here: Django resolves each row's URL again to
    add them, a URL resolution per row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_filters, self.preserved_filters = self.preserved_filters, ""

    def url_for_result(self, result):
        url = super().url_for_result(result)
        return f"{url}?{self.row_filters}" if self.row_filters else url


DIRECT_INPUTS = DirectInputRenderer()


class FastChangeListMixin:
    """For the long lists staff work through all day (applications, job seekers,
    vacancies): what Django does once per row, done once per page or written directly.

    - The row checkbox: Django renders it through the form-widget templates, once per
      row (a quarter of a 50-row changelist's time in the profile).
    - The row links' filters (`_RowLinksChangeList`), empty errors of editable cells
      (`QuietErrorList`) and their plain inputs (`DirectInputRenderer`).
    The markup is the same as Django's.
    """

    def get_changelist(self, request, **kwargs):
        return _RowLinksChangeList

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)

        class QuietFormSet(formset):
            def get_form_kwargs(self, index):
                return {
                    **super().get_form_kwargs(index),
                    "error_class": QuietErrorList,
                    "renderer": DIRECT_INPUTS,
                }

        return QuietFormSet

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


def view_permission_required(view):
    """Refuse a page of a model's admin to staff who may not view the model.

    For the pages beside the change list (a summary, figures, a register, an export):
    `admin_site.admin_view` only checks that the user is staff.
    """

    @functools.wraps(view)
    def page(model_admin, request, *args, **kwargs):
        if not model_admin.has_view_permission(request):
            raise PermissionDenied
        return view(model_admin, request, *args, **kwargs)

    return page


def admin_page(model_admin, request, template, *, title, status=200, **context) -> TemplateResponse:
    """A page of a model's admin beside its change list (a summary, figures, a register):
    the admin's frame (the site's context, the model's options) around `context`."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            **context,
        },
        status=status,
    )


def admin_action_page(
    model_admin,
    request,
    *,
    title,
    form,
    objects,
    action,
    submit_label,
    template="admin/action_form.html",
    status=200,
    **context,
) -> TemplateResponse:
    """The page a bulk action shows before it runs: the selected rows and a form (a
    reason, an intake); its button posts the action again with `apply`.

    `template` may extend admin/action_form.html and fill its `intro` and `objects`
    blocks; `context` adds what that template shows.
    """
    return admin_page(
        model_admin,
        request,
        template,
        title=title,
        status=status,
        form=form,
        objects=objects,
        action=action,
        submit_label=submit_label,
        action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
        **context,
    )


def admin_action_asking(
    model_admin, request, queryset, *, form_class, run, done_message, **page
) -> TemplateResponse | None:
    """A bulk action that asks for input first (a reason): `admin_action_page` until the
    form is valid, then `run(obj, cleaned_data)` on each row (`admin_run_per_row`)."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        data = form.cleaned_data
        admin_run_per_row(request, queryset, lambda obj: run(obj, data), done_message)
        return None
    return admin_action_page(model_admin, request, form=form, objects=queryset, **page)


def _every_field(model_admin) -> list[str]:
    """The fields the admin shows: its fieldsets or fields, else every column."""
    if model_admin.fieldsets:
        return flatten_fieldsets(model_admin.fieldsets)
    if model_admin.fields:
        return list(model_admin.fields)
    return [f.name for f in model_admin.model._meta.fields]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services only: staff look, nobody adds, edits or deletes by hand.

    Every field shown is read-only. Actions still run (they call services, which check
    their own rules).
    """

    def get_readonly_fields(self, request, obj=None):
        return _every_field(self)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent's change form (its history, its files), read-only."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return _every_field(self)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if any(f.name == "actor" for f in self.model._meta.fields):
            queryset = queryset.select_related("actor")
        return queryset


class EventInline(ReadOnlyInline):
    """A subject's history (its `TransitionEvent` rows) under its change form."""

    fields = ("created_at", "category", "from_status", "to_status", "actor", "reason_shown")

    @admin.display(description=_("reason"))
    def reason_shown(self, event):
        return event.reason_text


class YesNoFilter(admin.SimpleListFilter):
    """A list filter answering yes or no: the rows of `yes` (a Q), or the others (or
    those of `no` where it is set).

    `answers` are the query-string values of the two answers.
    """

    answers = ("yes", "no")
    yes: Q
    no: Q | None = None

    def lookups(self, request, model_admin):
        return [(self.answers[0], _("Yes")), (self.answers[1], _("No"))]

    def queryset(self, request, queryset):
        if self.value() == self.answers[0]:
            return queryset.filter(self.yes)
        if self.value() == self.answers[1]:
            return queryset.filter(~self.yes if self.no is None else self.no)
        return queryset


class ChoiceFilter(admin.SimpleListFilter):
    """A list filter on a value of `choices` (a `TextChoices`, such as a derived status):
    `rows(queryset, value)` are the rows of that value."""

    parameter_name = "status"
    choices_of: type[TextChoices]

    def lookups(self, request, model_admin):
        return self.choices_of.choices

    def queryset(self, request, queryset):
        if self.value() in self.choices_of.values:
            return self.rows(queryset, self.value())
        return queryset

    def rows(self, queryset, value):
        raise NotImplementedError


class OneChoiceFilter(admin.SimpleListFilter):
    """A list filter of one choice, `choice` (its query-string value and label): the
    rows `rows(queryset)` keeps, or all of them."""

    choice: tuple[str, str]

    def lookups(self, request, model_admin):
        return [self.choice]

    def queryset(self, request, queryset):
        if self.value() == self.choice[0]:
            return self.rows(queryset)
        return queryset

    def rows(self, queryset):
        raise NotImplementedError


def annotation_column(annotation: str, description):
    """A change-list column showing the queryset's `annotation` (a count), sortable by it."""

    @admin.display(description=description, ordering=annotation)
    def column(model_admin, obj):
        return getattr(obj, annotation)

    return column


def admin_urls(model_admin, pages) -> list:
    """The URLs of a ModelAdmin's own pages, `(route, view, suffix)` each: behind the
    admin's login, named `<app label>_<model>_<suffix>` (`courses_cohort_results`)."""
    opts = model_admin.model._meta
    return [
        path(
            route,
            model_admin.admin_site.admin_view(view),
            name=f"{opts.app_label}_{opts.model_name}_{suffix}",
        )
        for route, view, suffix in pages
    ]


class FiguresPageMixin:
    """A model admin's figures page (at `figures/`, named `<app label>_<model>_figures`):
    `figures_template` titled `figures_title`, around what `figures_context()` counts.

    Put it before `admin.ModelAdmin` among the bases.
    """

    figures_template: str
    figures_title: str

    def figures_context(self) -> dict:
        raise NotImplementedError

    def get_urls(self):
        return admin_urls(self, [("figures/", self.figures_view, "figures")]) + super().get_urls()

    @view_permission_required
    def figures_view(self, request):
        return admin_page(
            self,
            request,
            self.figures_template,
            title=self.figures_title,
            **self.figures_context(),
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is written by `core.audit.audit_record` and never edited."""

    list_display = ("at", "actor_label", "action", "subject_type", "subject_id", "ip_address")
    list_filter = ("action", "subject_type", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "subject_id", "=ip_address")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    list_per_page = 100
