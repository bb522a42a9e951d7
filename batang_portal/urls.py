from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.urls import login_view_guarded
from core import views as core_views
from courses.catalogue.views import HomeView
from reports.views import work_queue

admin.site.site_header = _("Smart Training Center Batang — staff")
admin.site.site_title = _("STC Batang staff")
admin.site.index_title = _("Administration")
# No navigation sidebar: at 1280 px its width is what the score and attendance columns
# need (the breadcrumbs and the index lead everywhere it did).
admin.site.enable_nav_sidebar = False

# Our 400 page never reads the body that could not be parsed (core.views.bad_request).
handler400 = "core.views.bad_request"
# A 503 page (not a 500) while the database is away (core.views.server_error).
handler500 = "core.views.server_error"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.language_switch, name="set_language"),
    path("me/data/", core_views.personal_data, name="personal-data"),
    path("me/data/download/", core_views.personal_data_download, name="personal-data-download"),
    path("me/data/delete/", core_views.account_delete, name="account-delete"),
    path("accounts/", include("accounts.urls")),
    # The admin's login has the site login's limits: per address and per account.
    path("admin/login/", login_view_guarded(admin.site.login)),
    # The staff work queue, linked first from the admin index (before the admin's
    # catch-all, which would answer 404 for any other path under admin/).
    path("admin/today/", admin.site.admin_view(work_queue), name="work-queue"),
    path("admin/", admin.site.urls),
    path("", include("trainees.urls")),
    path("", include("courses.urls")),
    path("", include("placements.urls")),
    path("", include("welfare.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
]
