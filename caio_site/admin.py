"""Admin for the runtime records: read-only, written only by the schedulers and the locks."""

from django.contrib import admin

from caio_site.models import RuntimeLock, SchedulerRun


@admin.register(SchedulerRun)
class SchedulerRunAdmin(admin.ModelAdmin):
    list_display = ("function_id", "status", "started_at", "duration_ms", "attempt", "run_id")
    list_filter = ("status", "function_id")
    search_fields = ("run_id", "function_id")
    date_hierarchy = "started_at"
    show_full_result_count = False
    readonly_fields = (
        "function_id",
        "run_id",
        "attempt",
        "status",
        "started_at",
        "finished_at",
        "duration_ms",
        "detail",
        "result",
    )

    @admin.display(description="duration (ms)")
    def duration_ms(self, obj: SchedulerRun) -> int | None:
        return obj.duration_ms

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RuntimeLock)
class RuntimeLockAdmin(admin.ModelAdmin):
    list_display = ("name", "acquired_at", "expires_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
