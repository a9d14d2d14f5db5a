"""The demo plan: read by the parser, written by the service, its units resolved through the
demo's aliases and collective unit; loading twice writes nothing more."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from weijian.core.models import AuditEvent
from weijian.plans.demo import TITLE
from weijian.plans.models import Assignment, Plan, Target, Task


@pytest.mark.django_db
def test_demo_plan_loads_once_with_resolved_units(settings):
    settings.DEMO = True
    call_command("load_demo")
    plan = Plan.objects.get(title=TITLE)
    assert plan.owner.name == "萍乡市卫生健康委员会"
    assert plan.document is not None and plan.document.number == "萍卫发〔2026〕4号"
    # 4 sections, 10 (一)-level items, 6 numbered measures
    assert Task.objects.filter(plan=plan).count() == 20
    lead = Assignment.objects.filter(task__plan=plan, raw_name="市卫健委", role="lead")
    assert lead.count() == 6 and all(a.organization == plan.owner for a in lead)
    districts = Assignment.objects.filter(
        task__plan=plan, raw_name="各县（区）卫生健康委", task__path="一.(二)"
    )
    assert districts.count() == 5  # the collective stands for the five district commissions
    assert Target.objects.filter(task__plan=plan).count() == 11
    call_command("load_demo")
    assert Plan.objects.filter(title=TITLE).count() == 1
    assert AuditEvent.objects.filter(action="plan.import").count() == 1
