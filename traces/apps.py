from django.apps import AppConfig


class TracesConfig(AppConfig):
    name = "traces"

    def ready(self):
        # Every Celery task runs inside its own trace scope, flushed when the task ends.
        from traces import task_scopes

        task_scopes.connect()
