"""/inngest in cloud mode with a known signing key (the SDK then verifies every request)."""

from caio_site.inngest import build_client, build_functions, build_urlpatterns
from tests.caio_site.inngest_jobs import APP_ID, EVENT_KEY, JOBS, SIGNING_KEY

client = build_client(dev=False, signing_key=SIGNING_KEY, event_key=EVENT_KEY, app_id=APP_ID)
urlpatterns = build_urlpatterns(client, build_functions(client, JOBS))
