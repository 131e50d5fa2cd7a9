"""Admin of the weekly scorecards: read-only figures, a pass-rate trend chart (inline SVG, no
JavaScript) and the "sign off" action, which calls ``evaluation.scorecards.sign_off``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from caio_site.runtime.admin import ReadOnlyAdmin
from evaluation import scorecards
from evaluation.gate import MIN_PASS_RATE
from evaluation.models import Scorecard

CHART_WEEKS = 26
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 520, 160, 24


# Offered only to holders of evaluation.signoff_scorecard (the Head of Sales; superusers may
# stand in): see ScorecardAdmin.has_signoff_permission.
@admin.action(description="Sign off the selected scorecards", permissions=["signoff"])
def sign_off_scorecards(modeladmin, request, queryset):
    done, conflicts = 0, []
    for pk, week in queryset.values_list("pk", "week"):
        try:
            scorecards.sign_off(pk, user=request.user)
        except scorecards.SignOffNotAllowed as exc:
            # The rule lives in the domain function; the admin only shows its answer.
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return
        except scorecards.ScorecardConflict:
            conflicts.append(week)
        else:
            done += 1
    modeladmin.message_user(
        request,
        f"Signed off {done} scorecard(s)"
        + (f"; {len(conflicts)} already signed off ({', '.join(conflicts)})" if conflicts else "."),
        messages.SUCCESS if done and not conflicts else messages.WARNING,
    )


def pass_rate_chart(points: list[tuple[str, float | None]]):
    """An SVG line of the pass rate per week (0-100 %); weeks without a run are gaps."""
    plotted = [(i, week, rate) for i, (week, rate) in enumerate(points) if rate is not None]
    if not plotted:
        return "no replay run in the stored weeks"
    span = max(len(points) - 1, 1)
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD

    def xy(index: int, rate: float) -> tuple[str, str]:
        x = CHART_PAD + inner_w * index / span
        y = CHART_PAD + inner_h * (1 - max(0.0, min(rate, 1.0)))
        return f"{x:.1f}", f"{y:.1f}"

    coords = [(*xy(i, rate), week, rate) for i, week, rate in plotted]
    polyline = " ".join(f"{x},{y}" for x, y, _, _ in coords)
    floor_y = xy(0, MIN_PASS_RATE)[1]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" role="img" '
        'aria-label="Replay pass rate by week" class="scorecard-trend">'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ba2121" stroke-dasharray="4 3"/>'
        '<text x="{}" y="{}" font-size="10" fill="#ba2121">{}</text>'
        '<polyline fill="none" stroke="#417690" stroke-width="2" points="{}"/>{}'
        '<text x="{}" y="{}" font-size="10">{}</text>'
        '<text x="{}" y="{}" font-size="10" text-anchor="end">{}</text>'
        "</svg>",
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_PAD,
        CHART_WIDTH - CHART_PAD,
        floor_y,
        floor_y,
        2,
        floor_y,
        f"{MIN_PASS_RATE:.0%}",
        polyline,
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3" fill="#417690"><title>{}: {}</title></circle>',
            ((x, y, week, scorecards.percent(rate)) for x, y, week, rate in coords),
        ),
        CHART_PAD,
        CHART_HEIGHT - 6,
        points[0][0],
        CHART_WIDTH - CHART_PAD,
        CHART_HEIGHT - 6,
        points[-1][0],
    )


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    """Built by ``manage.py scorecard`` only; people sign it off through the action."""

    list_display = (
        "week",
        "pass_rate_display",
        "approval_rate_display",
        "signed_off_by",
        "signed_off_at",
        "created_at",
    )
    list_select_related = ("signed_off_by",)
    list_filter = (("signed_off_at", admin.EmptyFieldListFilter),)
    actions = [sign_off_scorecards]
    fields = (
        "week",
        "figures",
        "trend_chart",
        "created_at",
        ("signed_off_by", "signed_off_at"),
        "metrics",
    )
    readonly_fields = (
        "week",
        "figures",
        "trend_chart",
        "created_at",
        "signed_off_by",
        "signed_off_at",
        "metrics",
    )

    def has_signoff_permission(self, request) -> bool:
        return request.user.has_perm("evaluation.signoff_scorecard")

    @admin.display(description="pass rate")
    def pass_rate_display(self, obj):
        return scorecards.percent(obj.pass_rate)

    @admin.display(description="approval rate")
    def approval_rate_display(self, obj):
        return scorecards.percent(obj.approval_rate)

    @admin.display(description="figures")
    def figures(self, obj):
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", scorecards.figure_rows(obj)),
        )

    @admin.display(description="pass-rate trend (stored weeks)")
    def trend_chart(self, obj):
        weeks = Scorecard.objects.order_by("-week").values_list("week", "metrics")[:CHART_WEEKS]
        points = [
            (week, (metrics.get("replay") or {}).get("pass_rate"))
            for week, metrics in reversed(weeks)
        ]
        return pass_rate_chart(points)
