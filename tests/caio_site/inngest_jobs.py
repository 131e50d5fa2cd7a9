"""Jobs served by the /inngest test URLconfs.

Their entry points are real functions of the project (no stand-ins): one returns the correlation
id bound by the wrapper, one raises on a malformed Redis URL.
"""

from caio_site.runtime.correlation import get_correlation_id
from caio_site.runtime.redis import get_client
from caio_site.scheduler import CronJob

SIGNING_KEY = "signkey-test-" + "0123456789abcdef" * 4
EVENT_KEY = "test-event-key"
APP_ID = "caio-alpha-swarm-test"

CORRELATION_PROBE = CronJob(
    "correlation-probe",
    "TZ=UTC 0 * * * *",
    get_correlation_id,
    "Returns the correlation id the run is bound to.",
)
RAISES = CronJob(
    "raises",
    "TZ=UTC 0 * * * *",
    get_client,
    "Fails: the Redis URL is malformed.",
    {"url": "not-a-redis-url"},
)
JOBS = (CORRELATION_PROBE, RAISES)
