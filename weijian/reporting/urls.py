from django.urls import path  # noqa: F401 (the views add their routes below)

app_name = "reporting"
urlpatterns: list = []

# Reporting cycles of a plan (views.cycles) and review up the hierarchy (views.review).
from weijian.reporting.views import cycles as cycle_views  # noqa: E402
from weijian.reporting.views import review as review_views  # noqa: E402

UNIT_PERIOD = "review/<int:cycle>/<int:organization>/<str:period>/"
urlpatterns += [
    path("plans/<int:pk>/cycles/", cycle_views.cycle_list, name="cycle_list"),
    path("plans/<int:pk>/cycles/new/", cycle_views.cycle_create, name="cycle_create"),
    path("plans/<int:pk>/cycles/preview/", cycle_views.cycle_preview, name="cycle_preview"),
    path("cycles/<int:pk>/edit/", cycle_views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/deactivate/", cycle_views.cycle_deactivate, name="cycle_deactivate"),
    path("cycles/<int:pk>/activate/", cycle_views.cycle_activate, name="cycle_activate"),
    path("cycles/<int:pk>/open/", cycle_views.cycle_open_period, name="cycle_open_period"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/bulk-accept/", review_views.review_bulk_accept, name="review_bulk_accept"),
    path(UNIT_PERIOD, review_views.review_detail, name="review_detail"),
    path(UNIT_PERIOD + "approve/", review_views.review_approve, name="review_approve"),
    path(UNIT_PERIOD + "accept/", review_views.review_accept, name="review_accept"),
    path(UNIT_PERIOD + "return/", review_views.review_return, name="review_return"),
    path(UNIT_PERIOD + "reopen/", review_views.review_reopen, name="review_reopen"),
]

# The unit's report for a period, its Excel round trip and attachments (views.report,
# views.report_excel), the unit's list of reports (views.my_reports).
from weijian.reporting.views import my_reports as my_report_views  # noqa: E402
from weijian.reporting.views import report as report_views  # noqa: E402
from weijian.reporting.views import report_excel as report_excel_views  # noqa: E402

UNIT_REPORT = "report/<int:cycle>/<int:org>/<str:period>/"
urlpatterns += [
    path("mine/", my_report_views.my_reports, name="my_reports"),
    path(UNIT_REPORT, report_views.report_page, name="report_page"),
    path(UNIT_REPORT + "submit/", report_views.report_submit, name="report_submit"),
    path(UNIT_REPORT + "excel/", report_excel_views.report_template, name="report_template"),
    path(UNIT_REPORT + "upload/", report_excel_views.report_upload, name="report_upload"),
    path(
        UNIT_REPORT + "upload/<str:token>/",
        report_excel_views.report_upload_preview,
        name="report_upload_preview",
    ),
    path(
        UNIT_REPORT + "upload/<str:token>/cancel/",
        report_excel_views.report_upload_cancel,
        name="report_upload_cancel",
    ),
    path("reports/<int:pk>/save/", report_views.report_save, name="report_save"),
    path("reports/<int:pk>/attachments/", report_views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", report_views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", report_views.attachment_delete, name="attachment_delete"),
]

# The leaders' dashboard (views.dashboard) and the unit's self-assessment (views.self_assessment).
from weijian.reporting.views import dashboard as dashboard_views  # noqa: E402
from weijian.reporting.views import self_assessment as self_assessment_views  # noqa: E402

urlpatterns += [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("self-assessment/", self_assessment_views.self_assessment, name="self_assessment"),
]

# Oversight: accountability, supervision visits, meetings and year-end proposals
# (views.oversight_accountability, _visits, _meetings, _year_end).
from weijian.reporting.views import oversight_accountability as acc_views  # noqa: E402
from weijian.reporting.views import oversight_meetings as meeting_views  # noqa: E402
from weijian.reporting.views import oversight_visits as visit_views  # noqa: E402
from weijian.reporting.views import oversight_year_end as year_views  # noqa: E402

OVERSIGHT = "oversight/"
urlpatterns += [
    path(OVERSIGHT + "accountability/", acc_views.accountability_list, name="accountability_list"),
    path(
        OVERSIGHT + "accountability/<int:pk>/",
        acc_views.accountability_detail,
        name="accountability_detail",
    ),
    path(
        OVERSIGHT + "accountability/<int:pk>/explain/",
        acc_views.accountability_explain,
        name="accountability_explain",
    ),
    path(
        OVERSIGHT + "accountability/<int:pk>/close/",
        acc_views.accountability_close,
        name="accountability_close",
    ),
    path(OVERSIGHT + "visits/", visit_views.visit_list, name="visit_list"),
    path(OVERSIGHT + "visits/new/", visit_views.visit_create, name="visit_create"),
    path(OVERSIGHT + "visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path(OVERSIGHT + "visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path(OVERSIGHT + "visits/<int:pk>/delete/", visit_views.visit_delete, name="visit_delete"),
    path(OVERSIGHT + "visits/<int:pk>/findings/", visit_views.finding_add, name="finding_add"),
    path(OVERSIGHT + "findings/<int:pk>/edit/", visit_views.finding_edit, name="finding_edit"),
    path(
        OVERSIGHT + "findings/<int:pk>/remove/", visit_views.finding_remove, name="finding_remove"
    ),
    path(OVERSIGHT + "findings/<int:pk>/raise/", visit_views.finding_raise, name="finding_raise"),
    path(OVERSIGHT + "meetings/", meeting_views.meeting_list, name="meeting_list"),
    path(
        OVERSIGHT + "committees/<int:pk>/",
        meeting_views.committee_agenda,
        name="committee_agenda",
    ),
    path(OVERSIGHT + "committees/<int:pk>/items/", meeting_views.item_add, name="item_add"),
    path(
        OVERSIGHT + "committees/<int:pk>/meetings/new/",
        meeting_views.meeting_create,
        name="meeting_create",
    ),
    path(OVERSIGHT + "meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path(OVERSIGHT + "meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path(
        OVERSIGHT + "meetings/<int:pk>/items/",
        meeting_views.meeting_item_add,
        name="meeting_item_add",
    ),
    path(
        OVERSIGHT + "meetings/<int:pk>/minutes.docx",
        meeting_views.meeting_minutes,
        name="meeting_minutes",
    ),
    path(OVERSIGHT + "items/<int:pk>/edit/", meeting_views.item_edit, name="item_edit"),
    path(OVERSIGHT + "items/<int:pk>/remove/", meeting_views.item_remove, name="item_remove"),
    path(
        OVERSIGHT + "items/<int:pk>/follow-ups/new/",
        meeting_views.follow_up_add,
        name="follow_up_add",
    ),
    path(OVERSIGHT + "year-end/", year_views.year_end_index, name="year_end_index"),
    path(OVERSIGHT + "year-end/<int:pk>/<int:year>/", year_views.year_end, name="year_end"),
    path(
        OVERSIGHT + "year-end/<int:pk>/<int:year>/propose/",
        year_views.year_end_propose,
        name="year_end_propose",
    ),
    path(
        OVERSIGHT + "year-end/<int:pk>/<int:year>/add/",
        year_views.proposal_add,
        name="proposal_add",
    ),
    path(OVERSIGHT + "proposals/<int:pk>/edit/", year_views.proposal_edit, name="proposal_edit"),
]

# The monthly notice (通报) of a cycle × period and its .docx / .pdf (views.bulletin).
from weijian.reporting.views import bulletin as bulletin_views  # noqa: E402

BULLETIN = "bulletin/<int:cycle>/<str:period>/"
urlpatterns += [
    path("bulletin/<int:cycle>/", bulletin_views.bulletin_latest, name="bulletin_latest"),
    path(BULLETIN, bulletin_views.bulletin_page, name="bulletin"),
    path(BULLETIN + "docx/", bulletin_views.bulletin_docx, name="bulletin_docx"),
    path(BULLETIN + "pdf/", bulletin_views.bulletin_pdf, name="bulletin_pdf"),
]
