"""/inngest in dev mode serving the test jobs."""

from caio_site.inngest import build_client, build_functions, build_urlpatterns
from tests.caio_site.inngest_jobs import APP_ID, JOBS

client = build_client(dev=True, app_id=APP_ID)
urlpatterns = build_urlpatterns(client, build_functions(client, JOBS))
