from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaioSiteConfig(AppConfig):
    """Project-level app: system checks, the roles, ops commands (seed_demo,
    validate_runtime_env)."""

    name = "caio_site"
    verbose_name = "CAIO runtime"

    def ready(self) -> None:
        from caio_site import checks  # noqa: F401  (registers the system checks)
        from caio_site.roles import sync_roles_after_migrate

        # Once per migrate (and per test flush): the groups follow caio_site.roles.
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="caio_site.roles")
