"""Scorecard admin: a constant-query changelist, a read-only page with the figures and the
pass-rate chart, and the sign-off action for the Head of Sales only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Scorecard
from evaluation.scorecards import build_scorecard, sign_off, week_label
from tests.evaluation.factories import ReplayRunFactory
from tests.evaluation.scorecard_helpers import WEEK, WEEK_START

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:evaluation_scorecard_changelist"


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@caio.example", "pw")


def scorecards(count: int, *, skip: int = 0, signer=None) -> list[Scorecard]:
    """``count`` weekly scorecards ending ``skip`` weeks before WEEK, each with its replay run."""
    built = []
    for back in range(skip, skip + count):
        start = WEEK_START - timedelta(days=7 * back)
        ReplayRunFactory(started_at=start + timedelta(days=1), pass_rate=0.9 + back / 100)
        scorecard = build_scorecard(week_label(start.date()))
        if signer is not None:
            scorecard = sign_off(scorecard.pk, user=signer)
        built.append(scorecard)
    return built


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    return len(queries)


def test_the_changelist_query_count_is_the_same_for_2_and_6_scorecards(
    client, root, hos, django_assert_num_queries
):
    client.force_login(root)
    scorecards(2, signer=hos)
    with_two = changelist_queries(client)
    scorecards(4, skip=2, signer=hos)

    with django_assert_num_queries(with_two):
        response = client.get(reverse(CHANGELIST))

    body = response.content.decode()
    assert Scorecard.objects.count() == 6
    assert WEEK in body
    assert "2026-W42" in body
    assert "90.0%" in body  # the pass rate column
    assert "hos" in body  # signed off by


def test_the_page_shows_the_figures_and_the_trend_chart_read_only(client, root):
    client.force_login(root)
    scorecard = scorecards(3)[0]

    response = client.get(reverse("admin:evaluation_scorecard_change", args=[scorecard.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<th>Replay pass rate</th><td>90.0%</td>" in body
    assert "<svg" in body
    assert "<polyline" in body
    assert body.count("<circle") == 3
    assert "2026-W45" in body  # the oldest stored week labels the chart
    assert 'name="_save"' not in body


def test_the_chart_leaves_weeks_without_a_run_out(client, root):
    client.force_login(root)
    scorecard = build_scorecard(WEEK)

    response = client.get(reverse("admin:evaluation_scorecard_change", args=[scorecard.pk]))

    assert "no replay run in the stored weeks" in response.content.decode()


def _sign_off(client, scorecards_to_sign):
    return client.post(
        reverse(CHANGELIST),
        {"action": "sign_off_scorecards", "_selected_action": [s.pk for s in scorecards_to_sign]},
        follow=True,
    )


def test_the_head_of_sales_signs_off_and_already_signed_ones_are_reported(client, hos, root):
    first, second = scorecards(2)
    sign_off(second.pk, user=root)
    client.force_login(hos)

    response = _sign_off(client, [first, second])

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.signed_off_by, second.signed_off_by) == (hos, root)
    assert first.signed_off_at is not None
    assert "Signed off 1 scorecard(s); 1 already signed off (2026-W46)" in (
        response.content.decode()
    )


def test_a_superuser_may_sign_off(client, root):
    (scorecard,) = scorecards(1)
    client.force_login(root)
    _sign_off(client, [scorecard])
    scorecard.refresh_from_db()
    assert scorecard.signed_off_by == root


def test_others_may_not_sign_off_even_with_the_permission(client, operator):
    operator.user_permissions.add(Permission.objects.get(codename="change_scorecard"))
    (scorecard,) = scorecards(1)
    client.force_login(operator)

    response = _sign_off(client, [scorecard])

    scorecard.refresh_from_db()
    assert scorecard.signed_off_at is None
    assert "Only the Head of Sales signs off scorecards." in response.content.decode()


def test_viewers_see_the_list_without_the_action(client, viewer):
    scorecards(1)
    client.force_login(viewer)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "sign_off_scorecards" not in response.content.decode()


def test_a_built_week_cannot_be_added_or_deleted_by_hand(client, root):
    (scorecard,) = scorecards(1)
    client.force_login(root)
    assert client.get(reverse("admin:evaluation_scorecard_add")).status_code == 403
    delete_url = reverse("admin:evaluation_scorecard_delete", args=[scorecard.pk])
    assert client.get(delete_url).status_code == 403
