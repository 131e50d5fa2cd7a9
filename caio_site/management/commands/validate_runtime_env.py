"""``manage.py validate_runtime_env``: is this environment fit for the named mode?"""

import sys

from django.core.management.base import BaseCommand, CommandError

from caio_site.runtime import env_grammar, env_validation


class Command(BaseCommand):
    help = (
        "Check an environment (an env file, falling back to the process environment) against "
        "the rules for a mode. Prints one OK/WARN/FAIL line per check and Result: PASS/FAIL; "
        "exits 1 on any FAIL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mode", required=True, choices=env_validation.MODES)
        parser.add_argument(
            "--env-file",
            help="KEY=VALUE file to validate (not loaded into this process). "
            "Without it, the process environment is validated.",
        )
        parser.add_argument(
            "--check-connections",
            action="store_true",
            help="Also connect: database query, Redis PING, broker, /inngest route.",
        )

    def handle(self, *args, mode, env_file=None, check_connections=False, **options):
        if env_file is not None:
            try:
                values = env_grammar.read_env_file(env_file)
            except env_grammar.EnvFileError as exc:
                self._print([env_validation.Check(env_validation.FAIL, "env_file", str(exc))])
                sys.exit(1)
            except OSError as exc:
                raise CommandError(f"cannot read {env_file}: {exc}") from exc
            header = [env_validation.Check(env_validation.OK, "env_file", f"read {env_file}")]
        else:
            values = {}
            header = [
                env_validation.Check(
                    env_validation.OK, "env_file", "none given: validating the process environment"
                )
            ]
        env = env_validation.Environment(values)
        checks = header + env_validation.validate(env, mode, connections=check_connections)
        if not self._print(checks):
            sys.exit(1)

    def _print(self, checks) -> bool:
        styles = {"OK": self.style.SUCCESS, "WARN": self.style.WARNING, "FAIL": self.style.ERROR}
        for check in checks:
            self.stdout.write(check.line(), style_func=styles[check.level])
        ok = env_validation.passed(checks)
        self.stdout.write(
            "Result: PASS" if ok else "Result: FAIL",
            style_func=self.style.SUCCESS if ok else self.style.ERROR,
        )
        return ok
