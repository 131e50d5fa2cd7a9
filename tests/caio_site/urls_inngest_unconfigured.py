"""/inngest in cloud mode without a signing key."""

from caio_site.inngest import build_client, build_urlpatterns

urlpatterns = build_urlpatterns(build_client(dev=False, signing_key="", app_id="unconfigured"))
