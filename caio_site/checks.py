"""System checks for configuration invariants (run by ``manage.py check`` and at start-up)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from caio_site.runtime.dependencies import (
    SIGNING_KEY_SHAPE,
    inngest_key_problems,
    settings_send_boundary,
)


@register("caio")
def check_production_shape(app_configs=None, **kwargs):
    problems = []
    if settings.IS_PRODUCTION_LIKE:
        if settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY:
            problems.append(Error("SECRET_KEY is the embedded development key.", id="caio.E001"))
        if settings.DEBUG:
            problems.append(Error("DEBUG must be off in staging/production.", id="caio.E002"))
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            problems.append(
                Error("SQLite is the embedded default, not a production database.", id="caio.E003")
            )
        if not settings.REDIS_REQUIRED:
            problems.append(
                Warning("REDIS_REQUIRED is off: Redis outages fall back silently.", id="caio.W001")
            )
        if settings.INNGEST_DEV:
            problems.append(
                Warning(
                    "INNGEST_DEV is on: /inngest accepts unsigned requests.",
                    hint="Set INNGEST_DEV=false and the cloud keys.",
                    id="caio.W002",
                )
            )
    return problems


@register("caio")
def check_redis_required(app_configs=None, **kwargs):
    # settings.py refuses this combination at start-up; the check keeps the rule visible when
    # settings are assembled some other way (override_settings, a custom settings module).
    if settings.REDIS_REQUIRED and not settings.REDIS_URL:
        return [Error("REDIS_REQUIRED=true without REDIS_URL.", id="caio.E004")]
    return []


@register("caio")
def check_inngest_keys(app_configs=None, **kwargs):
    if settings.INNGEST_DEV:
        return []
    problems = inngest_key_problems(settings.INNGEST_SIGNING_KEY, settings.INNGEST_EVENT_KEY)
    if not problems:
        return []
    message = "Inngest cloud mode: " + "; ".join(problems) + "."
    if settings.INNGEST_REQUIRED or (
        settings.INNGEST_SIGNING_KEY and not SIGNING_KEY_SHAPE.match(settings.INNGEST_SIGNING_KEY)
    ):
        return [Error(message, hint="/inngest answers 503 without a signing key.", id="caio.E005")]
    return [Warning(message, id="caio.W003")]


@register("caio")
def check_simulated_send(app_configs=None, **kwargs):
    boundary = settings_send_boundary()
    if not boundary.refused:
        return []
    problems = []
    if boundary.backend_simulated:
        problems.append(
            Error(
                "Production with a simulated email backend (no EMAIL_URL, or one that "
                "delivers nothing): approved email would reach nobody.",
                hint="Set EMAIL_URL to SMTP, or ALLOW_SIMULATED_SEND=true for a dry run.",
                id="caio.E006",
            )
        )
    if boundary.integration_simulated:
        problems.append(
            Error(
                "Production with the email integration simulated.",
                hint="INTEGRATION_MODES=email:live, or ALLOW_SIMULATED_SEND=true.",
                id="caio.E007",
            )
        )
    return problems
