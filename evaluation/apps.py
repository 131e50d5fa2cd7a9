from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"

    def ready(self) -> None:
        # django.contrib.admin comes first in INSTALLED_APPS, so its ready() has imported every
        # app's admin module (the queue's included) before this runs.
        from django.contrib import admin

        from evaluation.admin import add_promotion_action_to_queue_admin

        add_promotion_action_to_queue_admin(admin.site)
