"""Self-assessment on the hand-counted scenario (dashboard_scenario).

The county's peers are the units under the commission that report: the county and the district
湘东区. Weights 0.4 / 0.3 / 0.3 (achievement, completeness, timeliness); a unit without targets
to report is scored on completeness and timeliness only. By hand:

| month | county: compl. timel. achiev. score | district: the same | county's rank |
| 01    | 0  0  —    0                        | 0  0  —    0       | 1 (a tie)     |
| 02    | 1  1  1/2  0.8                      | 1  1  1/1  1.0     | 2             |
| 03    | 1  1  2/2  1.0                      | 0  0  —    0       | 1             |

Averages over the two: 01 all 0; 02 completeness 1, timeliness 1, achievement 0.75, score 0.9;
03 completeness 0.5, timeliness 0.5, achievement 1.0 (the county alone had targets), score 0.5.
In the whole cycle's March ranking (`status.unit_status`): county 1.0, hospital 0.3, district 0.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.core.models import AuditEvent
from weijian.core.tests.test_pages import INLINE_SCRIPT, INLINE_STYLE
from weijian.reporting.assessment import standings
from weijian.reporting.periods import Period
from weijian.reporting.status import unit_status
from weijian.reporting.tests.dashboard_scenario import build
from weijian.reporting.tests.test_dashboard import grow

MARCH = Period.parse("2024-03")
PAGE = reverse("reporting:self_assessment")


@pytest.fixture
def scenario(world):
    return build(world)


def figures(standing):
    unit = standing.unit
    return (
        standing.period.key,
        unit.completeness,
        unit.timeliness,
        unit.achievement,
        pytest.approx(unit.score),
        unit.rank,
        standing.peers,
    )


def test_the_county_month_by_month_against_its_peers(scenario):
    found = standings(
        cycle=scenario.reporting.cycle, organization=scenario.world.county, until=MARCH
    )
    assert [figures(s) for s in found] == [
        ("2024-01", 0.0, 0.0, None, 0.0, 1, 2),
        ("2024-02", 1.0, 1.0, 0.5, 0.8, 2, 2),
        ("2024-03", 1.0, 1.0, 1.0, 1.0, 1, 2),
    ]
    averages = [
        (s.average_completeness, s.average_timeliness, s.average_achievement, s.average_score)
        for s in found
    ]
    assert averages == [
        (0.0, 0.0, None, 0.0),
        (1.0, 1.0, 0.75, pytest.approx(0.9)),
        (0.5, 0.5, 1.0, pytest.approx(0.5)),
    ]


def test_a_unit_alone_at_its_level_ranks_first_of_one(scenario):
    found = standings(
        cycle=scenario.reporting.cycle, organization=scenario.world.hospital, until=MARCH
    )
    march = found[-1]
    assert (march.peers, march.rank, march.unit.completeness, march.unit.timeliness) == (
        1,
        1,
        1.0,
        0.0,
    )
    assert march.unit.achievement == 0.0 and march.average_score == pytest.approx(0.3)


def test_the_figures_agree_with_the_status_of_each_period(scenario):
    """One GROUP BY over the months gives what `unit_status` gives month by month."""
    cycle = scenario.reporting.cycle
    for unit in (scenario.world.county, scenario.district, scenario.world.hospital):
        for standing in standings(cycle=cycle, organization=unit, until=MARCH):
            status = next(
                s for s in unit_status(cycle, standing.period.key) if s.organization_id == unit.pk
            )
            mine = standing.unit
            assert (mine.expected, mine.submitted, mine.on_time, mine.accepted) == (
                status.expected,
                status.submitted,
                status.on_time,
                status.accepted,
            )
            assert (mine.targets, mine.targets_met) == (status.targets, status.targets_met)
            assert mine.score == pytest.approx(status.score)


def test_months_after_until_are_left_out(scenario):
    found = standings(
        cycle=scenario.reporting.cycle, organization=scenario.world.county, until=MARCH.previous()
    )
    assert [s.period.key for s in found] == ["2024-01", "2024-02"]


# --- the page ---------------------------------------------------------------------------------


def chart(html: str) -> dict:
    match = re.search(r'id="chart-assessment"[^>]*data-chart="([^"]*)"', html)
    assert match
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_a_reporter_sees_his_units_table_and_chart(scenario, login_as):
    response = login_as(scenario.reporting.county_reporter).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "莲花县卫生健康委员会 · 自评" in html
    assert 'data-rank="2">2 / 2' in html and 'data-rank="1">1 / 2' in html
    assert "在 2 个同级单位中排名第 <strong>1</strong> 位；在全部 3 个填报单位中排名第 1 位" in html
    data = chart(html)
    assert data["categories"] == ["2024年1月", "2024年2月", "2024年3月"]
    series = {s["name"]: s["data"] for s in data["series"]}
    assert series["本单位得分"] == [0.0, 80.0, 100.0]
    assert series["同级平均得分"] == [0.0, 90.0, 50.0]
    assert series["本单位目标完成率"] == [None, 50.0, 100.0]
    assert series["同级平均报送率"] == [0.0, 100.0, 50.0]
    assert 'id="assessment-unit"' not in html  # a reporter does not choose a unit
    assert not INLINE_SCRIPT.search(html) and not INLINE_STYLE.search(html)


def test_a_reporter_may_not_look_at_another_unit(scenario, login_as):
    client = login_as(scenario.reporting.county_reporter)
    below = client.get(f"{PAGE}?unit={scenario.world.hospital.pk}")
    assert below.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", success=False).exists()
    assert client.get(f"{PAGE}?unit={scenario.world.county.pk}").status_code == 200


def test_superiors_choose_a_unit_of_their_tree(scenario, login_as):
    client = login_as(scenario.world.staff)
    own = client.get(PAGE).content.decode()
    assert 'id="assessment-unit"' in own and "湘东区卫生健康委员会</option>" in own
    # The commission itself reports nothing: no cycle.
    assert 'id="assessment-empty"' in own
    html = client.get(f"{PAGE}?unit={scenario.district.pk}").content.decode()
    assert "湘东区卫生健康委员会 · 自评" in html
    assert chart(html)["series"][0]["data"] == [0.0, 100.0, 0.0]
    county_staff = login_as(scenario.reporting.county_staff)
    assert county_staff.get(f"{PAGE}?unit={scenario.world.hospital.pk}").status_code == 200
    assert county_staff.get(f"{PAGE}?unit={scenario.district.pk}").status_code == 404


def test_an_outsider_sees_his_own_empty_page_and_nothing_else(scenario, login_as):
    client = login_as(scenario.world.outsider)
    own = client.get(PAGE)
    assert own.status_code == 200 and 'id="assessment-empty"' in own.content.decode()
    assert "莲花县" not in own.content.decode()
    assert client.get(f"{PAGE}?unit={scenario.world.county.pk}").status_code == 404
    assert client.get(f"{PAGE}?unit=abc").status_code == 404


def test_anonymous_is_sent_to_log_in(client, scenario):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_runs_a_constant_number_of_queries(scenario, login_as):
    client = login_as(scenario.reporting.county_reporter)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    grow(scenario, districts=6, months=("2024-04", "2024-05"))
    with CaptureQueriesContext(connection) as many:
        html = client.get(PAGE).content.decode()
    assert "2024年5月" in html and "/ 8</td>" in html  # 7 districts and the county
    assert len(few) == len(many)
