from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by `core.audit.audit_record` and never edited."""

    list_display = ("at", "actor_label", "action", "subject_type", "subject_id", "ip_address")
    list_filter = ("action", "subject_type", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "subject_id", "=ip_address")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
