"""Unknown API URLs and crashes answer JSON with a stable code; the admin keeps its pages."""

import pytest
from django.test import Client
from django.urls import path

from caio_site.runtime.correlation import HEADER


def _crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/crash/", _crash), path("admin/crash/", _crash)]
handler404 = "caio_site.api_errors.not_found"
handler500 = "caio_site.api_errors.server_error"


def test_an_unknown_api_url_is_a_json_404(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No such endpoint."}


def test_an_unknown_page_outside_the_api_stays_html(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.urls("tests.caio_site.test_api_error_pages")
def test_a_crash_under_the_api_is_json_with_the_correlation_id(db):
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/crash/", HTTP_X_CORRELATION_ID="crash-1")
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "detail": "Internal error; it has been logged.",
        "correlation_id": "crash-1",
    }
    assert response[HEADER] == "crash-1"


@pytest.mark.urls("tests.caio_site.test_api_error_pages")
def test_a_crash_outside_the_api_is_the_html_page(db):
    client = Client(raise_request_exception=False)
    response = client.get("/admin/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
