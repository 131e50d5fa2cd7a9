"""System checks of caio_site.checks (what `manage.py check` reports)."""

import pytest
from django.core import checks

from caio_site.checks import (
    check_inngest_keys,
    check_production_shape,
    check_redis_required,
    check_simulated_send,
)

SIGNING_KEY = "signkey-prod-" + "ab" * 32


def _ids(messages) -> set[str]:
    return {m.id for m in messages}


def test_the_embedded_default_passes_every_check():
    assert checks.run_checks(tags=["caio"]) == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_production_with_the_dev_key_debug_and_sqlite_is_refused(settings):
    # Only the check reads this copy; the test's own connection is untouched.
    sqlite = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    settings.DATABASES = {**settings.DATABASES, "default": sqlite}
    settings.IS_PRODUCTION_LIKE = True
    settings.SECRET_KEY = settings.INSECURE_DEV_SECRET_KEY
    settings.DEBUG = True
    settings.REDIS_REQUIRED = False
    settings.INNGEST_DEV = True
    assert _ids(check_production_shape()) == {
        "caio.E001",
        "caio.E002",
        "caio.E003",
        "caio.W001",
        "caio.W002",
    }


def test_redis_required_without_a_url_is_an_error(settings):
    settings.REDIS_REQUIRED = True
    settings.REDIS_URL = ""
    assert _ids(check_redis_required()) == {"caio.E004"}
    settings.REDIS_URL = "redis://cache.internal:6379/0"
    assert check_redis_required() == []


def test_required_inngest_in_cloud_mode_without_keys_is_an_error(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_REQUIRED = True
    settings.INNGEST_SIGNING_KEY = ""
    settings.INNGEST_EVENT_KEY = ""
    (error,) = check_inngest_keys()
    assert error.id == "caio.E005"
    assert "INNGEST_SIGNING_KEY missing" in error.msg


def test_optional_inngest_in_cloud_mode_without_keys_is_a_warning(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_REQUIRED = False
    settings.INNGEST_SIGNING_KEY = ""
    assert _ids(check_inngest_keys()) == {"caio.W003"}


def test_a_malformed_signing_key_is_an_error_even_when_optional(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_REQUIRED = False
    settings.INNGEST_SIGNING_KEY = "sk-live-123"
    settings.INNGEST_EVENT_KEY = "evt"
    assert _ids(check_inngest_keys()) == {"caio.E005"}


def test_cloud_mode_with_good_keys_passes(settings):
    settings.INNGEST_DEV = False
    settings.INNGEST_REQUIRED = True
    settings.INNGEST_SIGNING_KEY = SIGNING_KEY
    settings.INNGEST_EVENT_KEY = "evt"
    assert check_inngest_keys() == []


def test_production_with_simulated_email_is_an_error_unless_allowed(settings):
    settings.ENVIRONMENT = "production"
    settings.EMAIL_URL = ""
    settings.INTEGRATION_MODES = {**settings.INTEGRATION_MODES, "email": "simulated"}
    settings.ALLOW_SIMULATED_SEND = False
    assert _ids(check_simulated_send()) == {"caio.E006", "caio.E007"}
    settings.ALLOW_SIMULATED_SEND = True
    assert check_simulated_send() == []


def test_production_with_live_email_passes(settings):
    settings.ENVIRONMENT = "production"
    settings.EMAIL_URL = "smtp+tls://caio:s3cret@smtp.internal:587"
    settings.INTEGRATION_MODES = {**settings.INTEGRATION_MODES, "email": "live"}
    settings.ALLOW_SIMULATED_SEND = False
    assert check_simulated_send() == []
