"""The "simulated email send in production" rule (caio_site.runtime.dependencies.send_boundary)
and its four callers, each with its own severity: the system check (error), dependency health
(warning), validate_runtime_env (FAIL, or WARN when allowed) and ``simulation_boundary``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from caio_site.checks import check_simulated_send
from caio_site.runtime import dependencies as deps
from caio_site.runtime import env_validation as ev
from tests.caio_site.test_env_validation import PRODUCTION

SMTP = "smtp+tls://caio:s3cret@smtp.internal:587"
# (EMAIL_URL, the email integration's mode): what makes the send simulated.
SHAPES = {
    "live": (SMTP, "live"),
    "no EMAIL_URL": ("", "live"),
    "console backend": ("consolemail://", "live"),
    "integration simulated": (SMTP, "simulated"),
    "both": ("", "simulated"),
}


@pytest.mark.parametrize(
    ("environment", "shape", "allowed", "refused"),
    [
        ("production", "live", False, False),
        ("production", "no EMAIL_URL", False, True),
        ("production", "console backend", False, True),
        ("production", "integration simulated", False, True),
        ("production", "both", False, True),
        ("production", "both", True, False),
        ("staging", "both", False, False),
        ("development", "both", False, False),
    ],
)
def test_only_production_refuses_a_simulated_send_and_only_without_the_flag(
    environment, shape, allowed, refused
):
    email_url, mode = SHAPES[shape]
    boundary = deps.send_boundary(
        environment=environment, email_url=email_url, email_mode=mode, allow_simulated_send=allowed
    )
    assert boundary.simulated is (shape != "live")
    assert boundary.refused is refused


@pytest.fixture
def process_shape(settings):
    def _set(environment: str, shape: str, allowed: bool) -> None:
        email_url, mode = SHAPES[shape]
        settings.ENVIRONMENT = environment
        settings.EMAIL_URL = email_url
        settings.INTEGRATION_MODES = {**settings.INTEGRATION_MODES, "email": mode}
        settings.ALLOW_SIMULATED_SEND = allowed

    return _set


def _validated(environment: str, shape: str, allowed: bool) -> dict[str, str]:
    email_url, mode = SHAPES[shape]
    values = {
        **PRODUCTION,
        "ENVIRONMENT": environment,
        "EMAIL_URL": email_url,
        "INTEGRATION_MODES": f"email:{mode}",
        "ALLOW_SIMULATED_SEND": "true" if allowed else "false",
    }
    checks = ev.validate(ev.Environment(values, process={}), environment)
    return {c.name: c.level for c in checks if c.name in {"email", "INTEGRATION_MODES"}}


@pytest.mark.parametrize(
    ("environment", "shape", "allowed"),
    [
        ("production", "live", False),
        ("production", "no EMAIL_URL", False),
        ("production", "console backend", False),
        ("production", "integration simulated", False),
        ("production", "both", True),
        ("staging", "both", False),
        ("development", "both", False),
    ],
)
def test_every_caller_agrees_with_the_rule_at_its_own_severity(
    process_shape, environment, shape, allowed
):
    process_shape(environment, shape, allowed)
    refused = deps.settings_send_boundary().refused

    assert bool(check_simulated_send()) is refused
    assert deps.check_simulation().status == (deps.WARN if refused else deps.OK)
    levels = _validated(environment, shape, allowed)
    assert (ev.FAIL in levels.values()) is refused
    if environment == "production" and allowed and shape != "live":
        assert set(levels.values()) == {ev.WARN}
    out = StringIO()
    call_command("simulation_boundary", stdout=out)
    assert ("ALLOW_SIMULATED_SEND is off" in out.getvalue()) is refused


def test_the_system_check_names_each_cause(process_shape):
    process_shape("production", "both", False)
    assert {e.id for e in check_simulated_send()} == {"caio.E006", "caio.E007"}
    process_shape("production", "integration simulated", False)
    assert {e.id for e in check_simulated_send()} == {"caio.E007"}
