"""API error shape: every error is JSON with a stable ``code``.

``{"code": "validation_error", "detail": "...", "errors": {field: [messages]}}``. Domain
conflicts (a stale version, a decided item) are raised as ``Conflict`` and answer 409.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource changed; reload it and try again."
    default_code = "conflict"


_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "malformed_request",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), None)
    if code is None:
        code = getattr(exc, "default_code", None) or "error"
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": code, "detail": "Invalid input.", "errors": response.data}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        body = {"code": code, "detail": detail}
    return Response(body, status=response.status_code, headers=dict(response.items()))


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """URLconf 404 handler: JSON with a code under /api/, the normal page elsewhere."""
    if _is_api(request):
        return JsonResponse({"code": "not_found", "detail": "No such endpoint."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """URLconf 500 handler: JSON under /api/ carrying the correlation id to quote in a report
    (the error itself is logged under the same id), the normal page elsewhere."""
    if _is_api(request):
        return JsonResponse(
            {
                "code": "server_error",
                "detail": "Internal error; it has been logged.",
                "correlation_id": getattr(request, "correlation_id", None),
            },
            status=500,
        )
    return defaults.server_error(request)
