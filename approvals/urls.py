"""Public (non-API) pages of this app."""

from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
