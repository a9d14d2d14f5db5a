"""URLs of the sampling pages: plans, draws, redraws, a draw's export."""

from django.urls import URLPattern, path

from weijian.supervision.views import sampling

urlpatterns: list[URLPattern] = [
    path("plans/", sampling.plan_list, name="plan_list"),
    path("plans/new/", sampling.plan_create, name="plan_create"),
    path("plans/<int:pk>/", sampling.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", sampling.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/draw/", sampling.plan_draw, name="plan_draw"),
    path("plans/<int:pk>/redraw/", sampling.plan_redraw, name="plan_redraw"),
    path("draws/<int:pk>/export/", sampling.draw_export, name="draw_export"),
]
