"""Admin for SchedulerRun: readable by operators, written by nobody, constant query count."""

from django.utils import timezone

from caio_site.models import SchedulerRun

CHANGELIST = "/admin/caio_site/schedulerrun/"


def _runs(n: int, offset: int = 0):
    now = timezone.now()
    SchedulerRun.objects.bulk_create(
        SchedulerRun(
            function_id="pipeline-scan",
            run_id=f"run-{offset + i}",
            status="ok",
            started_at=now,
            finished_at=now,
        )
        for i in range(n)
    )


def test_an_operator_sees_the_runs_with_a_constant_query_count(
    client, operator, django_assert_max_num_queries
):
    client.force_login(operator)
    _runs(3)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert b"run-2" in response.content
    with django_assert_max_num_queries(12) as few:
        client.get(CHANGELIST)
    _runs(30, offset=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(CHANGELIST)


def test_runs_cannot_be_added_or_changed_in_admin(client, operator):
    client.force_login(operator)
    _runs(1)
    run = SchedulerRun.objects.get()
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    change = client.post(f"{CHANGELIST}{run.pk}/change/", {"status": "failed"})
    assert change.status_code == 403
    run.refresh_from_db()
    assert run.status == "ok"


def test_an_api_client_cannot_see_the_runs(client, api_client_user):
    client.force_login(api_client_user)
    assert client.get(CHANGELIST).status_code == 403
