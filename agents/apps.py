from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "agents"

    def ready(self) -> None:
        # The approvals app sits below the agent workers: it asks for a redraft by signal.
        from agents import tasks
        from approvals.regeneration import regeneration_requested

        regeneration_requested.connect(
            tasks.on_regeneration_requested, dispatch_uid="agents.redraft_rejected_item"
        )
