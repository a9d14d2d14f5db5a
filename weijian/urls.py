from django.urls import include, path

urlpatterns = [
    path("", include("weijian.portal.urls")),
    path("office/", include("weijian.core.urls")),
    path("accounts/", include("weijian.accounts.urls")),
    path("office/orgs/", include("weijian.orgs.urls")),
    path("office/plans/", include("weijian.plans.urls")),
    path("office/reporting/", include("weijian.reporting.urls")),
    path("office/supervision/", include("weijian.supervision.urls")),
    path("office/notifications/", include("weijian.notifications.urls")),
]
