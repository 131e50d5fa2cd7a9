"""Public (non-API) pages of this app."""

urlpatterns: list = []
