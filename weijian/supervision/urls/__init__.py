"""The 综合监管 module's URLs, one list per area."""

from weijian.supervision.urls import inspections, pools, registry, sampling

app_name = "supervision"

urlpatterns = [
    *registry.urlpatterns,
    *pools.urlpatterns,
    *sampling.urlpatterns,
    *inspections.urlpatterns,
]
