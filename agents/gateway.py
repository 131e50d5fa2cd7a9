"""The tool gateway: the only way an agent touches an integration (DESIGN section 3).

``call(agent, tool, **args)`` runs, in order:

1. the permission check against ``PERMISSIONS`` (agent → tools). ``draft_email`` may read the
   CRM, enrichment and knowledge but never ``email.send``; only ``send_pipeline`` sends;
2. the rate limit of the tool's integration (``caio_site.runtime.ratelimit``: Redis first, one
   Lua script per decision; ``RedisUnavailable`` propagates when Redis is required and down);
3. the circuit breaker of the integration (open after ``BREAKER_THRESHOLD`` consecutive failed
   calls, one trial call after ``BREAKER_COOLDOWN_SECONDS``);
4. the adapter call with the integration's timeout, retrying transient errors with a short
   exponential back-off (``RETRIES`` more attempts);

and records exactly one trace envelope for the call, whatever the outcome. Refusals end the
envelope as ``blocked`` (PERMISSION_DENIED, RATE_LIMITED, CIRCUIT_OPEN), failures as ``error``
(ADAPTER_ERROR, TIMEOUT); the caller gets a ``GatewayError`` with the same ``error_code``.

Tool names are stable ``<integration>.<action>`` strings (``TOOLS``); the replay judge matches
them exactly, so add names, never rename them.

The breaker state is per process (each worker learns about a failing provider by itself).
Adapters that read our own database (``runs_inline``) run in the calling thread, so they see
its transaction; the others run in a worker thread so a hung provider cannot outlive its
timeout in the caller.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from agents.integrations import AdapterError, NotConfigured, TransientAdapterError, adapter_for
from caio_site.runtime import ratelimit
from traces.context import case_id_var
from traces.recorder import record_tool

logger = logging.getLogger(__name__)

PERMISSION_DENIED = "PERMISSION_DENIED"
RATE_LIMITED = "RATE_LIMITED"
CIRCUIT_OPEN = "CIRCUIT_OPEN"
ADAPTER_ERROR = "ADAPTER_ERROR"
TIMEOUT = "TIMEOUT"
ERROR_CODES = (PERMISSION_DENIED, RATE_LIMITED, CIRCUIT_OPEN, ADAPTER_ERROR, TIMEOUT)

# tool name → (integration, adapter method)
TOOLS: dict[str, tuple[str, str]] = {
    "crm.read_contact": ("crm", "read_contact"),
    "crm.lookup_account": ("crm", "lookup_account"),
    "enrichment.enrich_contact": ("enrichment", "enrich_contact"),
    "calendar.get_events": ("calendar", "get_events"),
    "knowledge.read_standards": ("knowledge", "read_standards"),
    "email.send": ("email", "send"),
}

PERMISSIONS: dict[str, frozenset[str]] = {
    "qualify": frozenset({"crm.read_contact", "crm.lookup_account", "enrichment.enrich_contact"}),
    "draft_email": frozenset(
        {
            "crm.read_contact",
            "crm.lookup_account",
            "enrichment.enrich_contact",
            "knowledge.read_standards",
        }
    ),
    "call_prep": frozenset(
        {
            "crm.read_contact",
            "enrichment.enrich_contact",
            "calendar.get_events",
            "knowledge.read_standards",
        }
    ),
    "pipeline_scan": frozenset({"crm.read_contact", "calendar.get_events"}),
    "send_pipeline": frozenset({"crm.lookup_account", "email.send"}),
}


@dataclass(frozen=True)
class IntegrationPolicy:
    rate_limit: int  # calls per window, across all processes sharing Redis
    window_seconds: float
    timeout_seconds: float


# Calls per minute across every process sharing Redis. Sized so an eager import of ~1000 leads
# stays inside them (enrichment is optional to every agent, so hitting its limit degrades the
# evidence, not the job); tighten to the provider's quota when a live adapter is wired.
POLICIES: dict[str, IntegrationPolicy] = {
    "crm": IntegrationPolicy(6000, 60, 5.0),
    "enrichment": IntegrationPolicy(1200, 60, 2.0),
    "calendar": IntegrationPolicy(3000, 60, 5.0),
    "knowledge": IntegrationPolicy(12000, 60, 5.0),
    "email": IntegrationPolicy(60, 60, 10.0),
}
RETRIES = 2
RETRY_BACKOFF_SECONDS = 0.05
BREAKER_THRESHOLD = 5
BREAKER_COOLDOWN_SECONDS = 30.0

_executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="gateway")


class GatewayError(Exception):
    """A tool call that did not happen or did not succeed; ``error_code`` says why."""

    def __init__(self, error_code: str, message: str, *, agent: str = "", tool: str = ""):
        super().__init__(message)
        self.error_code = error_code
        self.agent = agent
        self.tool = tool

    @property
    def retryable(self) -> bool:
        return isinstance(self, TransientGatewayError)


class TransientGatewayError(GatewayError):
    """A refusal or failure that a later retry may get past (rate limit, open circuit,
    timeout, provider outage). Agent tasks retry these with back-off."""


class CircuitBreaker:
    """Consecutive-failure breaker for one integration (closed → open → half-open → closed)."""

    def __init__(
        self, threshold: int = BREAKER_THRESHOLD, cooldown: float = BREAKER_COOLDOWN_SECONDS
    ):
        self.threshold = threshold
        self.cooldown = cooldown
        self.failures = 0
        self.opened_at: float | None = None
        self._trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        if time.monotonic() - self.opened_at >= self.cooldown:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        with self._lock:
            state = self.state
            if state == "closed":
                return True
            if state == "half_open" and not self._trial_running:
                self._trial_running = True  # one trial call; the rest wait for its outcome
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            if self.opened_at is not None:
                logger.warning("circuit closed again after a successful trial call")
            self.failures = 0
            self.opened_at = None
            self._trial_running = False

    def cancel_trial(self) -> None:
        """The call never reached the provider: neither a success nor a failure."""
        with self._lock:
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self.failures += 1
            was_open = self.opened_at is not None
            if self.failures >= self.threshold or was_open:
                self.opened_at = time.monotonic()
                if not was_open:
                    logger.warning("circuit opened after %s consecutive failures", self.failures)
            self._trial_running = False


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(integration: str) -> CircuitBreaker:
    with _breakers_lock:
        return _breakers.setdefault(integration, CircuitBreaker())


def reset_breakers() -> None:
    with _breakers_lock:
        _breakers.clear()


def allowed_tools(agent: str) -> frozenset[str]:
    return PERMISSIONS.get(agent, frozenset())


def call(agent: str, tool: str, *, refs=(), **args):
    """Run ``tool`` for ``agent`` through the gateway; returns the adapter's result.

    ``refs`` are ids of our records the call is about (``"lead:12"``); the gateway adds the
    ids it can read off the result (``"standard:tier_1"``). Raises ``GatewayError``.
    """
    error: GatewayError | None = None
    with record_tool(agent, tool, input=args, refs=list(refs)) as span:
        error = _refused(agent, tool)
        if error is not None:
            span.block(error.error_code, str(error))
        else:
            integration, action = TOOLS[tool]
            try:
                result = _invoke(integration, action, args)
            except GatewayError as exc:
                error = exc
                error.agent, error.tool = agent, tool
                if exc.error_code in (RATE_LIMITED, CIRCUIT_OPEN):
                    span.block(exc.error_code, str(exc))
                else:
                    span.fail(exc.error_code, str(exc))
            else:
                span.output = result
                span.add_refs(*_refs_in(result))
    if error is not None:
        raise error
    return result


def _refused(agent: str, tool: str) -> GatewayError | None:
    if tool not in TOOLS:
        return GatewayError(PERMISSION_DENIED, f"unknown tool {tool!r}", agent=agent, tool=tool)
    if tool not in allowed_tools(agent):
        return GatewayError(
            PERMISSION_DENIED,
            f"agent {agent!r} may not call {tool!r}",
            agent=agent,
            tool=tool,
        )
    return None


def _invoke(integration: str, action: str, args: dict):
    policy = POLICIES[integration]
    # A replay case runs on simulated integrations only (the runner refuses live ones), so no
    # provider needs protecting, and its verdict must not depend on production's traffic in the
    # shared rate windows.
    in_replay = case_id_var.get() is not None
    decision = (
        None
        if in_replay
        else ratelimit.hit(f"gateway:{integration}", policy.rate_limit, policy.window_seconds)
    )
    if decision is not None and not decision.allowed:
        raise TransientGatewayError(
            RATE_LIMITED,
            f"{integration} rate limit {policy.rate_limit}/{policy.window_seconds:g}s reached; "
            f"retry in {decision.retry_after:.1f}s",
        )
    breaker = breaker_for(integration)
    if not breaker.allow():
        raise TransientGatewayError(
            CIRCUIT_OPEN, f"{integration} circuit is open after repeated failures"
        )
    adapter = adapter_for(integration)
    method = getattr(adapter, action)
    attempt = 0
    while True:
        try:
            result = _run(adapter, method, args, policy.timeout_seconds)
        except TimeoutError as exc:
            breaker.record_failure()
            raise TransientGatewayError(
                TIMEOUT, f"{integration}.{action} timed out after {policy.timeout_seconds:g}s"
            ) from exc
        except (TransientAdapterError, ConnectionError) as exc:
            if attempt < RETRIES:
                attempt += 1
                time.sleep(RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1))
                continue
            breaker.record_failure()
            raise TransientGatewayError(
                ADAPTER_ERROR, f"{integration}.{action} failed after {attempt + 1} attempts: {exc}"
            ) from exc
        except NotConfigured as exc:
            # A configuration gap, not a provider outage: do not trip the breaker.
            breaker.cancel_trial()
            raise GatewayError(ADAPTER_ERROR, str(exc)) from exc
        except AdapterError as exc:
            breaker.record_failure()
            raise GatewayError(ADAPTER_ERROR, str(exc)) from exc
        breaker.record_success()
        return result


def _run(adapter, method, args: dict, timeout: float):
    if getattr(adapter, "runs_inline", False):
        return method(**args, timeout=timeout)
    context = contextvars.copy_context()
    future = _executor.submit(context.run, method, **args, timeout=timeout)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout as exc:
        future.cancel()
        raise TimeoutError(f"no answer within {timeout}s") from exc


def _refs_in(result) -> list[str]:
    if not isinstance(result, dict):
        return []
    refs = []
    if isinstance(result.get("id"), str):
        refs.append(result["id"])
    for claim in result.get("proof_claims") or []:
        if isinstance(claim, dict) and claim.get("id"):
            refs.append(f"proof:{claim['id']}")
    contact = result.get("contact")
    if isinstance(contact, dict) and contact.get("email"):
        refs.append(f"crm_contact:{contact['email']}")
    if result.get("found") and result.get("domain"):
        refs.append(f"account:{result['domain']}")
    return refs
