"""The unit's side of its report: drafts, submission (validation, timeliness around the end of
the due day, locks and reopenings), resubmission after a return, attachments."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from weijian.core.models import AuditEvent
from weijian.plans.models import Indicator
from weijian.reporting.models import (
    ProgressReport,
    Reopening,
    ReportAttachment,
    ReportStatus,
    ReviewAction,
    ReviewStep,
    TargetValue,
    TaskStatus,
)
from weijian.reporting.periods import SHANGHAI
from weijian.reporting.services.submission import (
    Draft,
    attachment_add,
    attachment_delete,
    report_save_draft,
    report_submit,
    target_met,
)
from weijian.reporting.tests.factories import Reporting, good_draft, make_reporting, mark_returned


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def reporting(world) -> Reporting:
    return make_reporting(world)


def _fill(reporting: Reporting, key: str, **fields) -> list[ProgressReport]:
    """Open the period and save a good draft of every county task."""
    reporting.open(key)
    reports = reporting.reports(reporting.world.county, key)
    for report in reports:
        report_save_draft(
            actor=reporting.county_reporter, report=report, draft=good_draft(report, **fields)
        )
    return reporting.reports(reporting.world.county, key)


def _submit(reporting: Reporting, key: str, **kwargs) -> list[ProgressReport]:
    return report_submit(
        actor=kwargs.pop("actor", reporting.county_reporter),
        cycle=reporting.cycle,
        organization=reporting.world.county,
        period=key,
        **kwargs,
    )


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- drafts -------------------------------------------------------------------------------


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
def test_draft_moves_pending_to_draft_and_keeps_the_values(reporting):
    reporting.open("2024-05")
    report = reporting.reports(reporting.world.county, "2024-05")[1]  # 一.1
    target = reporting.target("一.1")
    draft = Draft(task_status=TaskStatus.IN_PROGRESS, percent=40, progress="招聘医师12名",
                  values={target.pk: 3.1})  # fmt: skip
    report_save_draft(actor=reporting.county_reporter, report=report, draft=draft)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert (report.task_status, report.percent, report.progress) == (
        "in_progress",
        40,
        "招聘医师12名",
    )
    assert report.updated_by == reporting.county_reporter
    assert TargetValue.objects.get(report=report, target=target).value == 3.1
    # Autosave writes no audit event (the module's docstring says why).
    assert (
        AuditEvent.objects.filter(action__startswith="reporting.")
        .exclude(action="reporting.open_period")
        .count()
        == 0
    )

    # Clearing a value removes it.
    report_save_draft(
        actor=reporting.county_reporter, report=report, draft=Draft(values={target.pk: None})
    )
    assert not TargetValue.objects.filter(report=report).exists()


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
def test_the_units_staff_may_fill_too(reporting):
    reporting.open("2024-05")
    report = reporting.reports(reporting.world.county, "2024-05")[0]
    report_save_draft(actor=reporting.county_staff, report=report, draft=Draft(progress="已部署"))
    report.refresh_from_db()
    assert report.progress == "已部署" and report.updated_by == reporting.county_staff


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
@pytest.mark.parametrize("who", ["staff", "leader", "hospital_reporter"])
def test_a_superior_or_another_unit_may_not_fill(reporting, who):
    """The commission's staff reads the county's report but reviews it, never fills it; the
    hospital fills only its own."""
    world = reporting.world
    actor = getattr(world, who, None) or getattr(reporting, who)
    reporting.open("2024-05")
    report = reporting.reports(world.county, "2024-05")[0]
    with pytest.raises(PermissionDenied, match="只有本单位的填报员或科室人员"):
        report_save_draft(actor=actor, report=report, draft=Draft(progress="越权"))
    with pytest.raises(PermissionDenied):
        _submit(reporting, "2024-05", actor=actor)
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.progress == ""
    assert (
        AuditEvent.objects.filter(action="access.denied", actor=actor, success=False).count() == 2
    )


# --- submitting ---------------------------------------------------------------------------


def test_submit_marks_every_task_submitted_on_time_with_a_trail(reporting):
    with time_machine.travel(at(2024, 5, 20, 10), tick=False):
        _fill(reporting, "2024-05")
    moment = at(2024, 5, 28, 16, 30)
    with time_machine.travel(moment, tick=False):
        submitted = _submit(reporting, "2024-05")
    assert len(submitted) == 3
    for report in reporting.reports(reporting.world.county, "2024-05"):
        assert report.status == ReportStatus.SUBMITTED
        assert report.submitted_at == moment and report.first_submitted_at == moment
        assert report.on_time is True
    step = ReviewStep.objects.get()
    assert (step.action, step.organization, step.period) == (
        ReviewAction.SUBMIT, reporting.world.county, "2024-05"
    )  # fmt: skip
    assert step.actor == reporting.county_reporter
    assert step.actor_organization == reporting.world.county
    event = AuditEvent.objects.get(action="reporting.submit")
    assert event.organization == reporting.world.county
    assert event.summary["reports"] == 3 and event.summary["late"] == 0
    # The hospital's reports are untouched.
    hospital = reporting.reports(reporting.world.hospital, "2024-05")
    assert {r.status for r in hospital} == {ReportStatus.PENDING}


def test_submitting_twice_is_refused(reporting):
    with time_machine.travel(at(2024, 5, 20, 10), tick=False):
        _fill(reporting, "2024-05")
        _submit(reporting, "2024-05")
        with pytest.raises(ValidationError, match="已报送，不能重复报送"):
            _submit(reporting, "2024-05")
        report = reporting.reports(reporting.world.county, "2024-05")[0]
        with pytest.raises(ValidationError, match="已报送，本单位不能再修改"):
            report_save_draft(actor=reporting.county_reporter, report=report, draft=Draft())


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
def test_every_problem_is_named_and_nothing_is_saved(reporting):
    reports = {
        r.task.path: r
        for r in reporting.open("2024-05")
        if r.organization_id == reporting.world.county.pk
    }
    doctors, life = reporting.target("一.1"), reporting.target("二")
    drafts = {
        reports["一"].pk: Draft(progress="只写了进展"),
        reports["一.1"].pk: Draft(task_status=TaskStatus.IN_PROGRESS, percent=50,
                                  progress="招聘中", values={doctors.pk: 3.2}),
        reports["二"].pk: Draft(task_status=TaskStatus.LAGGING, percent=20, progress="宣传推迟",
                                values={life.pk: 74.0}),
    }  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        _submit(reporting, "2024-05", drafts=drafts)
    assert caught.value.messages == [
        "任务“一 总体任务”：请选择任务状态（未启动、推进中、已完成、滞后）",
        "任务“一.1 提高医师数量”：指标“每千人口执业医师数”当前值3.2未达到目标（≥3.5人），"
        "请填写未完成原因",
        "任务“二 推进全民健康生活方式”：任务状态为滞后，请填写未完成原因",
        "任务“二 推进全民健康生活方式”：指标“人均预期寿命”当前值74未达到目标（≈78岁），"
        "请填写未完成原因",
    ]
    assert not ProgressReport.objects.exclude(status=ReportStatus.PENDING).exists()
    assert not ProgressReport.objects.exclude(progress="").exists()
    assert not TargetValue.objects.exists() and not ReviewStep.objects.exists()


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
def test_done_needs_100_percent_and_every_target_a_value(reporting):
    reporting.open("2024-05")
    report = reporting.reports(reporting.world.county, "2024-05")[1]
    drafts = {r.pk: good_draft(r) for r in reporting.reports(reporting.world.county, "2024-05")}
    drafts[report.pk] = Draft(task_status=TaskStatus.DONE, percent=90, progress="基本完成")
    with pytest.raises(ValidationError) as caught:
        _submit(reporting, "2024-05", drafts=drafts)
    assert caught.value.messages == [
        "任务“一.1 提高医师数量”：任务状态为已完成时，完成比例应为100%",
        "任务“一.1 提高医师数量”：请填写指标“每千人口执业医师数”的当前值",
    ]


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
def test_a_shortfall_reason_lets_an_unmet_target_through(reporting):
    reports = _fill(reporting, "2024-05")
    target = reporting.target("一.1")
    drafts = {r.pk: good_draft(r) for r in reports}
    drafts[reports[1].pk] = good_draft(
        reports[1], values={target.pk: 3.0}, shortfall_reason="编制未到位，招聘延后"
    )
    _submit(reporting, "2024-05", drafts=drafts)
    row = ProgressReport.objects.get(pk=reports[1].pk)
    assert row.status == ReportStatus.SUBMITTED and row.shortfall_reason == "编制未到位，招聘延后"
    assert TargetValue.objects.get(report=row).value == 3.0


def test_target_met_by_comparator(reporting):
    at_least, at_most, about = (reporting.target(p) for p in ("一.1", "一.2", "二"))
    assert target_met(at_least, 3.5) and not target_met(at_least, 3.49)
    assert target_met(at_most, 10) and not target_met(at_most, 10.5)
    assert target_met(about, 78 * 1.05) and target_met(about, 78 * 0.95)
    assert not target_met(about, 78 * 1.06) and not target_met(about, 78 * 0.94)
    equal = at_least
    equal.comparator = "="
    assert target_met(equal, 3.6) and not target_met(equal, 3.4)
    equal.indicator = Indicator(name="死亡率", higher_is_better=False)
    assert target_met(equal, 3.4) and not target_met(equal, 3.6)


# --- timeliness around the end of the due day ---------------------------------------------


@pytest.mark.parametrize(
    ("due_day", "key", "last_moment", "first_late"),
    [
        # 每月30日前 in May (31 days): the 30th, to its last second.
        (30, "2024-05", at(2024, 5, 30, 23, 59, 59), at(2024, 5, 31, 0, 0, 0)),
        # Day 31 in a 31-day month is the 31st itself.
        (31, "2024-05", at(2024, 5, 31, 23, 59, 59), at(2024, 6, 1, 0, 0, 0)),
        # 每月30日前 in February clamps to its last day: the 29th in a leap year …
        (30, "2024-02", at(2024, 2, 29, 23, 59, 59), at(2024, 3, 1, 0, 0, 0)),
        # … and the 28th otherwise.
        (30, "2025-02", at(2025, 2, 28, 23, 59, 59), at(2025, 3, 1, 0, 0, 0)),
    ],
)
def test_on_time_until_the_end_of_the_due_day(world, due_day, key, last_moment, first_late):
    reporting = make_reporting(world, due_day=due_day)
    with time_machine.travel(last_moment - datetime.timedelta(days=3), tick=False):
        _fill(reporting, key)
    with time_machine.travel(last_moment, tick=False):
        _submit(reporting, key)
    assert {r.on_time for r in reporting.reports(world.county, key)} == {True}

    # The hospital submits a second later: late, but submitted.
    with time_machine.travel(last_moment - datetime.timedelta(days=3), tick=False):
        for report in reporting.reports(world.hospital, key):
            report_save_draft(
                actor=reporting.hospital_reporter, report=report, draft=good_draft(report)
            )
    with time_machine.travel(first_late, tick=False):
        report_submit(
            actor=reporting.hospital_reporter,
            cycle=reporting.cycle,
            organization=world.hospital,
            period=key,
        )
    late = reporting.reports(world.hospital, key)
    assert {(r.status, r.on_time) for r in late} == {(ReportStatus.SUBMITTED, False)}
    assert AuditEvent.objects.filter(action="reporting.submit").latest("pk").summary["late"] == 2


# --- a return, then a resubmission --------------------------------------------------------


@pytest.mark.parametrize("first_on_time", [True, False])
def test_resubmission_keeps_the_first_submissions_timeliness(reporting, first_on_time):
    world = reporting.world
    first = at(2024, 5, 30, 12) if first_on_time else at(2024, 6, 2, 9)
    with time_machine.travel(first, tick=False):
        _fill(reporting, "2024-05")
        _submit(reporting, "2024-05")
    with time_machine.travel(first + datetime.timedelta(minutes=30), tick=False):
        mark_returned(reporting, world.county, "2024-05", reason="进展写得太笼统", by=world.staff)
    again = at(2024, 6, 10, 9) if first_on_time else at(2024, 5, 30, 23, 0)
    with time_machine.travel(max(again, first) + datetime.timedelta(hours=1), tick=False):
        report = reporting.reports(world.county, "2024-05")[0]
        report_save_draft(
            actor=reporting.county_reporter,
            report=report,
            draft=good_draft(report, progress="召开专题会议3次，出台实施细则"),
        )
        assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
        _submit(reporting, "2024-05")
    rows = reporting.reports(world.county, "2024-05")
    assert {r.status for r in rows} == {ReportStatus.SUBMITTED}
    assert {r.first_submitted_at for r in rows} == {first}
    assert {r.submitted_at for r in rows} == {max(again, first) + datetime.timedelta(hours=1)}
    assert {r.on_time for r in rows} == {first_on_time}
    assert {r.return_reason for r in rows} == {""}
    actions = list(ReviewStep.objects.values_list("action", flat=True))
    assert actions == [ReviewAction.SUBMIT, ReviewAction.RETURN, ReviewAction.SUBMIT]
    assert AuditEvent.objects.filter(action="reporting.submit").latest("pk").summary["resubmitted"]


# --- locks --------------------------------------------------------------------------------


def test_a_locked_period_is_refused_with_its_reason_until_reopened(world):
    reporting = make_reporting(world, lock_after_days=5)
    with time_machine.travel(at(2024, 5, 20, 10), tick=False):
        _fill(reporting, "2024-05")
    # Due 30 May, locked at the end of 4 June.
    with time_machine.travel(at(2024, 6, 4, 23, 59), tick=False):
        report = reporting.reports(world.county, "2024-05")[0]
        report_save_draft(actor=reporting.county_reporter, report=report, draft=good_draft(report))
    with time_machine.travel(at(2024, 6, 5, 0, 1), tick=False):
        with pytest.raises(ValidationError) as caught:
            _submit(reporting, "2024-05")
        assert caught.value.messages == [
            "2024年5月的填报已于2024年6月4日锁定（截止日2024年5月30日后5天），"
            "如需补报请联系上级单位重新开放"
        ]
        with pytest.raises(ValidationError, match="锁定"):
            report_save_draft(actor=reporting.county_reporter, report=report, draft=Draft())
        assert not ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).exists()

        Reopening.objects.create(
            cycle=reporting.cycle,
            organization=world.county,
            period="2024-05",
            reason="系统故障补报",
            until=at(2024, 6, 8, 23, 59),
            by=world.staff,
        )
        _submit(reporting, "2024-05")
    rows = reporting.reports(world.county, "2024-05")
    assert {(r.status, r.on_time) for r in rows} == {(ReportStatus.SUBMITTED, False)}


def test_a_period_not_yet_open_is_refused(world):
    reporting = make_reporting(world, window_days=5)
    with time_machine.travel(at(2024, 5, 20, 10), tick=False):
        reporting.open("2024-05")
        report = reporting.reports(world.county, "2024-05")[0]
        with pytest.raises(ValidationError, match="尚未开始"):
            report_save_draft(actor=reporting.county_reporter, report=report, draft=Draft())


# --- attachments --------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
def test_attachments_are_stored_audited_and_deleted(
    reporting, media, django_capture_on_commit_callbacks
):
    reporting.open("2024-05")
    report = reporting.reports(reporting.world.county, "2024-05")[0]
    upload = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    attachment = attachment_add(actor=reporting.county_reporter, report=report, upload=upload)
    stored = media / attachment.file.name
    assert stored.read_bytes() == b"%PDF-1.4 minutes"
    assert attachment.name == "会议纪要.pdf" and attachment.size == 16
    assert "会议纪要" not in attachment.file.name  # a random name on disk
    assert _events("reporting.attachment_add") == 1

    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(actor=reporting.county_reporter, attachment=attachment)
    assert not ReportAttachment.objects.exists() and not stored.exists()
    assert _events("reporting.attachment_delete") == 1


@time_machine.travel(at(2024, 5, 20, 10), tick=False)
def test_attachments_are_refused_when_too_big_of_a_wrong_type_or_not_ours(reporting, media):
    reporting.open("2024-05")
    report = reporting.reports(reporting.world.county, "2024-05")[0]
    big = SimpleUploadedFile("大文件.pdf", b"x")
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="附件不能超过20MB"):
        attachment_add(actor=reporting.county_reporter, report=report, upload=big)
    script = SimpleUploadedFile("run.exe", b"MZ")
    with pytest.raises(ValidationError, match="不支持“.exe”类型的附件"):
        attachment_add(actor=reporting.county_reporter, report=report, upload=script)
    with pytest.raises(PermissionDenied):
        attachment_add(
            actor=reporting.world.staff, report=report, upload=SimpleUploadedFile("a.pdf", b"x")
        )
    assert not ReportAttachment.objects.exists()
    assert not list(media.rglob("*.*"))
