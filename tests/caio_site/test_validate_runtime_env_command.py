"""manage.py validate_runtime_env: output format, exit codes, env files, real connections."""

from __future__ import annotations

import os
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.caio_site.test_env_validation import PRODUCTION

LINE = re.compile(r"^(OK|WARN|FAIL) [A-Za-z_.]+: .+$")


def _write(tmp_path, values: dict, name: str = "app.env"):
    path = tmp_path / name
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    return path


def _run(*args) -> tuple[int, list[str]]:
    out = StringIO()
    try:
        call_command("validate_runtime_env", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


def _line(lines, name):
    return next(line for line in lines if line.split(" ", 2)[1] == f"{name}:")


def test_a_good_production_file_passes_with_exit_0(tmp_path):
    code, lines = _run("--mode", "production", "--env-file", str(_write(tmp_path, PRODUCTION)))
    assert code == 0
    assert lines[-1] == "Result: PASS"
    assert all(LINE.match(line) for line in lines[:-1]), lines


def test_a_bad_production_file_fails_with_exit_1_and_says_why(tmp_path):
    path = _write(tmp_path, {**PRODUCTION, "DEBUG": "true", "SECRET_KEY": "changeme"})
    code, lines = _run("--mode", "production", "--env-file", str(path))
    assert code == 1
    assert lines[-1] == "Result: FAIL"
    assert _line(lines, "DEBUG") == "FAIL DEBUG: must be off in production"
    assert _line(lines, "placeholders").startswith(
        "FAIL placeholders: placeholder values in: SECRET"
    )


def test_a_missing_env_file_is_a_failure_not_ignored(tmp_path):
    code, lines = _run("--mode", "staging", "--env-file", str(tmp_path / "missing.env"))
    assert code == 1
    assert lines[0].startswith("FAIL env_file: env file ")
    assert lines[0].endswith("does not exist")
    assert lines[-1] == "Result: FAIL"


def test_a_malformed_env_file_is_a_failure(tmp_path):
    path = tmp_path / "bad.env"
    path.write_text("DEBUG=false\nnonsense\n")
    code, lines = _run("--mode", "development", "--env-file", str(path))
    assert code == 1
    assert "not KEY=VALUE" in lines[0]


def test_an_unknown_mode_is_a_usage_error():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("validate_runtime_env", "--mode", "qa", stdout=StringIO())


def test_reading_the_file_does_not_change_the_process_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("INNGEST_EVENT_KEY", raising=False)
    _run("--mode", "production", "--env-file", str(_write(tmp_path, PRODUCTION)))
    assert "INNGEST_EVENT_KEY" not in os.environ


def test_keys_absent_from_the_file_come_from_the_process_environment(tmp_path, monkeypatch):
    values = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"}
    monkeypatch.setenv("DEBUG", "true")
    code, lines = _run("--mode", "production", "--env-file", str(_write(tmp_path, values)))
    assert code == 1
    assert _line(lines, "DEBUG").startswith("FAIL")


def _dev_env(**values) -> dict:
    return {"ENVIRONMENT": "development", **values}


def test_check_connections_reports_a_closed_redis_port_with_the_reason(tmp_path, closed_port, db):
    path = _write(
        tmp_path,
        _dev_env(REDIS_URL=f"redis://127.0.0.1:{closed_port}/0", REDIS_REQUIRED="true"),
    )
    code, lines = _run("--mode", "development", "--env-file", str(path), "--check-connections")
    assert code == 1
    line = _line(lines, "connect.redis")
    assert line.startswith("FAIL connect.redis: ")
    assert "refused" in line.lower()


def test_check_connections_reports_a_closed_database_port(tmp_path, closed_port):
    url = f"postgres://postgres@127.0.0.1:{closed_port}/caio"
    code, lines = _run(
        "--mode",
        "development",
        "--env-file",
        str(_write(tmp_path, _dev_env(DATABASE_URL=url))),
        "--check-connections",
    )
    assert code == 1
    line = _line(lines, "connect.database")
    assert line.startswith("FAIL connect.database: postgresql: ")
    assert "refused" in line.lower() or "connection" in line.lower()


def test_check_connections_reports_a_closed_broker_port(tmp_path, closed_port):
    url = f"amqp://guest:guest@127.0.0.1:{closed_port}//"
    code, lines = _run(
        "--mode",
        "development",
        "--env-file",
        str(_write(tmp_path, _dev_env(CELERY_BROKER_URL=url))),
        "--check-connections",
    )
    assert code == 1
    assert _line(lines, "connect.broker").startswith("FAIL connect.broker: ")


def test_check_connections_resolves_the_inngest_route(tmp_path):
    code, lines = _run(
        "--mode",
        "development",
        "--env-file",
        str(_write(tmp_path, _dev_env())),
        "--check-connections",
    )
    assert _line(lines, "connect.inngest_route") == "OK connect.inngest_route: /inngest resolves"


@pytest.mark.redis
def test_check_connections_pings_a_real_redis_with_latency(tmp_path, redis_url):
    path = _write(tmp_path, _dev_env(REDIS_URL=redis_url, CELERY_BROKER_URL=redis_url))
    code, lines = _run("--mode", "development", "--env-file", str(path), "--check-connections")
    assert re.match(
        r"^OK connect\.redis: PING answered \(\d+(\.\d+)? ms\)$", _line(lines, "connect.redis")
    )
    assert _line(lines, "connect.broker").startswith("OK connect.broker: ")


@pytest.mark.postgres
def test_check_connections_queries_a_real_postgres(tmp_path):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = _write(tmp_path, _dev_env(DATABASE_URL=url))
    code, lines = _run("--mode", "development", "--env-file", str(path), "--check-connections")
    line = _line(lines, "connect.database")
    assert re.match(r"^OK connect\.database: postgresql: SELECT 1 answered \(\d", line), line


@pytest.mark.postgres
@pytest.mark.redis
def test_a_development_env_with_real_services_passes_with_connections(tmp_path, redis_url):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = _write(tmp_path, _dev_env(DATABASE_URL=url, REDIS_URL=redis_url, REDIS_REQUIRED="true"))
    code, lines = _run("--mode", "development", "--env-file", str(path), "--check-connections")
    assert code == 0, lines
    assert lines[-1] == "Result: PASS"
