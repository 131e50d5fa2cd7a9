"""Inngest client and cron functions, served at /inngest by the official SDK."""

inngest_urlpatterns: list = []
