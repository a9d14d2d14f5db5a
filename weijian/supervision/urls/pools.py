"""URLs of the pools pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
