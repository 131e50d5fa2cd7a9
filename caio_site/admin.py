"""Admin for the runtime records: read-only, written only by the schedulers and the locks."""

from django.contrib import admin

from caio_site.models import RuntimeLock, SchedulerRun
from caio_site.runtime.admin import ReadOnlyAdmin


@admin.register(SchedulerRun)
class SchedulerRunAdmin(ReadOnlyAdmin):
    list_display = ("function_id", "status", "started_at", "duration_ms", "attempt", "run_id")
    list_filter = ("status", "function_id")
    search_fields = ("run_id", "function_id")
    date_hierarchy = "started_at"
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


@admin.register(RuntimeLock)
class RuntimeLockAdmin(ReadOnlyAdmin):
    list_display = ("name", "acquired_at", "expires_at")
