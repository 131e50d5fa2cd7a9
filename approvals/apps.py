from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"

    def ready(self) -> None:
        # The agents kernel serves the segment standards through its knowledge integration but
        # sits below this app: hand it the lookup.
        from agents.integrations import knowledge
        from approvals.models import SegmentStandard

        knowledge.register_standards_lookup(SegmentStandard.lookup)
