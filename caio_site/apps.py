from django.apps import AppConfig


class CaioSiteConfig(AppConfig):
    """Project-level app: system checks, ops commands (seed_demo, validate_runtime_env)."""

    name = "caio_site"
    verbose_name = "CAIO runtime"

    def ready(self) -> None:
        from caio_site import checks  # noqa: F401  (registers the system checks)
