"""System checks for configuration invariants (run by ``manage.py check`` and at start-up)."""

from django.conf import settings
from django.core.checks import Error, Warning, register


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
    return problems
