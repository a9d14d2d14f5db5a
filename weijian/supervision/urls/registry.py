"""URLs of the registry pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
