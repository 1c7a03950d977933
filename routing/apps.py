from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = _("Routing")

    def ready(self):
        from directory.models import Unit
        from routing.engine import invalidate
        from routing.models import ModelVersion, RoutingRule, RoutingSettings
        from routing.training import ensure_initial_model

        post_migrate.connect(ensure_initial_model, sender=self)
        for model in (RoutingRule, RoutingSettings, ModelVersion, Unit):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"routing-state-{model.__name__}-save")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"routing-state-{model.__name__}-delete")
