"""Health endpoints (filled in by the foundation work)."""

from django.http import JsonResponse


def live(request):
    return JsonResponse({"status": "live"})


def ready(request):
    return JsonResponse({"status": "ready"})


def dependencies(request):
    return JsonResponse({})
