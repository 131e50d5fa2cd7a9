"""A URLconf with the health routes but without /inngest (for the "route not mounted" checks)."""

from django.urls import path

from caio_site.runtime import views

urlpatterns = [path("api/health/ready/", views.ready)]
