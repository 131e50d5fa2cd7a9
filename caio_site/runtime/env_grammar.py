"""The environment's grammar: how an env file is read and how each value is cast.

Two readers use it — ``caio_site/settings.py`` (the app, over ``os.environ``) and
``caio_site.runtime.env_validation`` (the deploy check, over an env file's values) — so the
validator judges a value exactly as the app will read it, and fails what would break the app:

- an env file is read by django-environ's own reader (``Env.read_env``): ``KEY=value`` with no
  spaces around ``=``, an optional ``export``, single or double quotes (backslash escapes inside
  double quotes), and **no inline comments**: ``DEBUG=false # off`` is the value
  ``false # off``. A line the reader would skip is an error here, not a silently missing key;
- values are looked up through ``environ.Env``, so a value starting with ``$`` is a reference to
  the variable it names (``SECRET_KEY=$VAULT_SECRET_KEY``); when that variable is not set the
  key reads as its default (``dangling_references`` names such keys);
- the casts: booleans, positive integers and numbers, choices (``ENVIRONMENT``, log level and
  format, trace retention days), ``name:value`` mappings (``INTEGRATION_MODES``,
  ``WEBHOOK_SECRETS``) and URL schemes. A bad value raises ``InvalidValue``, an
  ``ImproperlyConfigured``: settings.py stops start-up with it, the validator prints a FAIL.
  Messages never repeat a mapping's or URL's value (they hold secrets).

Pure: it imports no Django app code, since settings.py imports it before any app exists.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("development", "staging", "production")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMATS = ("json", "console")
TRACE_RETENTION_DAYS = (14, 30, 90)
INTEGRATIONS = ("crm", "enrichment", "calendar", "knowledge", "email")
INTEGRATION_MODE_CHOICES = ("simulated", "live")
TRUE_STRINGS = frozenset({"1", "true", "yes", "on"})
FALSE_STRINGS = frozenset({"0", "false", "no", "off"})
URL_SCHEMES = {
    "DATABASE_URL": frozenset({"postgres", "postgresql", "pgsql", "psql", "sqlite"}),
    "REDIS_URL": frozenset({"redis", "rediss", "unix"}),
    "CELERY_BROKER_URL": frozenset({"redis", "rediss", "amqp", "amqps", "pyamqp"}),
    "EMAIL_URL": frozenset(
        {
            "smtp",
            "smtps",
            "smtp+tls",
            "smtp+ssl",
            "consolemail",
            "filemail",
            "memorymail",
            "dummymail",
        }
    ),
    "SLACK_WEBHOOK_URL": frozenset({"https"}),
}
# Email backends that deliver nothing: with one of them (or no EMAIL_URL) the send is simulated.
SIMULATED_EMAIL_SCHEMES = frozenset({"consolemail", "filemail", "memorymail", "dummymail"})

# The keys settings.py reads with each cast (tests/caio_site/test_env_grammar.py keeps these
# lists and settings.py in step); the validator checks every one that is set.
BOOL_KEYS = (
    "DEBUG",
    "REDIS_REQUIRED",
    "INNGEST_REQUIRED",
    "INNGEST_DEV",
    "TRACE_ENVELOPE_ENABLED",
    "ALLOW_SIMULATED_SEND",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)
POSITIVE_INT_KEYS = (
    "DB_CONN_MAX_AGE",
    "CELERY_TASK_TIME_LIMIT",
    "CELERY_TASK_SOFT_TIME_LIMIT",
    "TRACE_FLUSH_EVERY",
)
POSITIVE_NUMBER_KEYS = ("REDIS_SOCKET_TIMEOUT",)
MAPPING_KEYS = ("INTEGRATION_MODES", "WEBHOOK_SECRETS")


class InvalidValue(ImproperlyConfigured):
    """A value the app refuses to start with."""


class EnvFileError(ValueError):
    """The env file is missing or has a line the app's reader would skip."""


# --- reading files ------------------------------------------------------------------------
# The reader logs a skipped line verbatim, and such a line may hold a secret; read_env_file
# reports it by number instead.
_reader_log = logging.getLogger(environ.Env.__module__)


def _read_env_text(text: str) -> dict[str, str]:
    """What django-environ's reader takes from ``text``, without touching ``os.environ``."""

    class _Capture(environ.Env):
        ENVIRON: dict[str, str] = {}

    disabled, _reader_log.disabled = _reader_log.disabled, True
    try:
        _Capture.read_env(io.StringIO(text), overwrite=True)
    finally:
        _reader_log.disabled = disabled
    return _Capture.ENVIRON


def read_env_file(path: str | Path) -> dict[str, str]:
    """The values an env file sets, read exactly as ``environ.Env.read_env`` reads them.

    A non-blank, non-comment line the reader skips (``KEY = value``, an indented line, a
    missing ``=``) raises ``EnvFileError`` with its line number: its author meant to set a key
    the app would never see. A later line for the same key wins, as in the app.
    """
    path = Path(path)
    if not path.is_file():
        raise EnvFileError(f"env file {path} does not exist")
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        # One line at a time through the app's reader: it parses lines independently.
        found = _read_env_text(line)
        if not found:
            raise EnvFileError(
                f"{path}:{number}: not KEY=VALUE as django-environ reads it "
                "(no spaces around '=', no indentation); the app would skip this line"
            )
        values.update(found)
    return values


def load_env_file(path: str | Path) -> None:
    """Put an env file's values into ``os.environ`` for the keys the process does not set
    (``CAIO_ENV_FILE``: the process environment wins, as with ``read_env(overwrite=False)``)."""
    for key, value in read_env_file(path).items():
        os.environ.setdefault(key, value)


def dangling_references(env: environ.Env, keys) -> list[str]:
    """Those of ``keys`` whose value starts with ``$`` naming a variable that is not set: the
    app reads them as their default, not as what the file says."""
    dangling = []
    for key in keys:
        raw = env.ENVIRON.get(key)
        if isinstance(raw, str) and raw.startswith("$") and raw.lstrip("$") not in env.ENVIRON:
            dangling.append(key)
    return dangling


# --- casts (``env`` is an ``environ.Env``; its ENVIRON is what is being read) --------------
def text(env: environ.Env, name: str, default: str = "") -> str:
    return env.str(name, default=default)


def boolean(env: environ.Env, name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in TRUE_STRINGS:
        return True
    if lowered in FALSE_STRINGS:
        return False
    raise InvalidValue(f"{name} is not a boolean (true/false): {raw!r}")


def positive_int(env: environ.Env, name: str, default: int) -> int:
    try:
        value = env.int(name, default=default)
    except ValueError:
        raise InvalidValue(f"{name} is not a positive integer") from None
    if value <= 0:
        raise InvalidValue(f"{name} is not a positive integer ({value})")
    return value


def positive_number(env: environ.Env, name: str, default: float) -> float:
    try:
        value = env.float(name, default=default)
    except ValueError:
        raise InvalidValue(f"{name} is not a positive number") from None
    if value <= 0:
        raise InvalidValue(f"{name} is not a positive number ({value})")
    return value


def choice(env: environ.Env, name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.str(name, default=default).strip().lower()
    if value not in choices:
        raise InvalidValue(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


def int_choice(env: environ.Env, name: str, default: int, choices: tuple[int, ...]) -> int:
    try:
        value = env.int(name, default=default)
    except ValueError:
        raise InvalidValue(f"{name} is not an integer") from None
    if value not in choices:
        raise InvalidValue(f"{name}={value} is not one of {', '.join(map(str, choices))}")
    return value


def mapping(env: environ.Env, name: str) -> dict[str, str]:
    """``name:value,name:value`` as a dict (names lowercased); empty entries are skipped."""
    raw = env.str(name, default="").strip()
    result: dict[str, str] = {}
    for number, part in enumerate((p.strip() for p in raw.split(",")), start=1):
        if not part:
            continue
        key, sep, value = part.partition(":")
        if not sep or not key.strip() or not value.strip():
            raise InvalidValue(f"{name} is not name:value,… (entry {number})")
        result[key.strip().lower()] = value.strip()
    return result


def integration_modes(env: environ.Env) -> dict[str, str]:
    """Every integration's mode: ``simulated`` unless ``INTEGRATION_MODES`` says ``live``."""
    modes = dict.fromkeys(INTEGRATIONS, "simulated")
    for name, mode in mapping(env, "INTEGRATION_MODES").items():
        if name not in INTEGRATIONS:
            raise InvalidValue(f"INTEGRATION_MODES names an unknown integration {name!r}")
        if mode not in INTEGRATION_MODE_CHOICES:
            raise InvalidValue(f"INTEGRATION_MODES entry {name}:{mode} is not simulated/live")
        modes[name] = mode
    return modes


def url(env: environ.Env, name: str, default: str = "") -> str:
    """A URL whose scheme is one ``URL_SCHEMES[name]`` allows ('' when unset)."""
    value = env.str(name, default=default)
    scheme = urlparse(value).scheme
    if value and scheme not in URL_SCHEMES[name]:
        raise InvalidValue(
            f"{name} scheme {scheme or '(none)'!r} not in {sorted(URL_SCHEMES[name])}"
        )
    return value


def database(env: environ.Env, default: str) -> dict:
    """``DATABASE_URL`` as Django's DATABASES entry."""
    value = url(env, "DATABASE_URL", default)
    try:
        return env.db_url_config(value)
    except Exception as exc:  # django-environ raises several types for an unparsable URL
        # Not chained: the original message may quote the URL, password included.
        raise InvalidValue(
            f"DATABASE_URL is not a valid database URL ({type(exc).__name__})"
        ) from None


def email(env: environ.Env) -> dict:
    """``EMAIL_URL`` as Django's EMAIL_* settings ({} when unset)."""
    value = url(env, "EMAIL_URL")
    if not value:
        return {}
    try:
        return env.email_url_config(value)
    except Exception as exc:
        raise InvalidValue(f"EMAIL_URL is not a valid email URL ({type(exc).__name__})") from None


def email_simulated(email_url: str) -> bool:
    """Whether mail sent through ``email_url`` reaches nobody (unset, console, file, memory)."""
    return not email_url or urlparse(email_url).scheme in SIMULATED_EMAIL_SCHEMES
