"""caio_site.demo.seed via manage.py seed_demo: the demo users, idempotently."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from rest_framework.authtoken.models import Token

from caio_site import demo


def _seed() -> str:
    out = StringIO()
    demo.seed(stdout=OutputWrapper(out), style=no_style())
    return out.getvalue()


def test_it_creates_the_users_in_their_groups(db, settings):
    settings.DEMO_PASSWORD = ""
    _seed()
    User = get_user_model()
    groups = {
        u.username: sorted(u.groups.values_list("name", flat=True)) for u in User.objects.all()
    }
    assert groups == {
        "admin": [],
        "hos": ["head_of_sales"],
        "operator": ["operator"],
        "viewer": ["viewer"],
        "api": ["api_client"],
    }
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="hos").is_staff
    assert not User.objects.get(username="api").is_staff
    assert Token.objects.filter(user__username="api").exists()


def test_random_passwords_are_printed_once_and_work(db, settings):
    settings.DEMO_PASSWORD = ""
    output = _seed()
    assert "Log in at http://" in output
    line = next(line for line in output.splitlines() if line.strip().startswith("hos "))
    password = line.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="hos").check_password(password)
    second = _seed()
    assert "password:" not in second
    assert "hos       already exists" in second


def test_demo_password_from_settings_is_used(db, settings):
    settings.DEMO_PASSWORD = "demo-password-123"
    _seed()
    users = get_user_model().objects.all()
    # Compared as a whole, so a seed that creates nobody fails instead of passing vacuously.
    assert {u.username: u.check_password("demo-password-123") for u in users} == {
        spec.username: True for spec in demo.DEMO_USERS
    }


def test_seeding_twice_creates_nothing_new_and_keeps_passwords(db, settings):
    settings.DEMO_PASSWORD = "first-password-1"
    _seed()
    settings.DEMO_PASSWORD = "second-password-2"
    _seed()
    User = get_user_model()
    assert User.objects.count() == 5
    assert Token.objects.count() == 1
    assert User.objects.get(username="operator").check_password("first-password-1")


def test_seed_demo_runs_the_user_seed(db, settings):
    settings.DEMO_PASSWORD = "demo-password-123"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data ready." in out.getvalue()
    assert get_user_model().objects.filter(username="operator").exists()
