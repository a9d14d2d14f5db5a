"""Write a synthetic task-division plan document (分工方案) of N tasks, as text the parser reads.

    .venv/bin/python bench/plan_document.py [--tasks 2000] [--seed 20250101] [--out PATH]

The document is a notice (关于印发…的通知, with a 发文字号 and a date) followed by the plan:
一、 sections, （一） items, 1. measures and （1） sub-items, every numbered paragraph counting
as one task. Measures carry responsibility markers in the forms the parser reads
(weijian/plans/importers/markers.py): （X牵头，Y、Z等部门参与）, （责任单位：A、B）, （X负责） and a
line of its own "牵头单位：X；配合单位：Y"; about one sub-item in three names its own units, the
others share their measure's. Unit names are drawn from `UNITS`, some written as the registry
names them, some abbreviated, some known only by an alias, a plate or as a collective (the
organizations bench/bench_plans.py creates), and some not in the registry at all. About one task
in four states a quantitative target (到2025年，…达到…以上).

Pure Python with no Django: the same --seed and --tasks give the same text.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

CITY = "青山市"
YEAR = 2021
DOCUMENT_NUMBER = f"青府办发〔{YEAR}〕18号"
PLAN_TITLE = f"{CITY}“健康{CITY[:-1]}2030”规划纲要重点任务分工方案"
TASKS_PER_SECTION = 70  # sections are added until each holds about this many tasks
MAX_SECTIONS = 60  # 一、 … 六十、: Chinese numerals the parser reads

# Units as plan documents write them; bench_plans.py creates the registry's side.
# Leads are drawn from the first LEADS names (the health commission leads most tasks).
UNITS: tuple[str, ...] = (
    "市卫健委",  # an alias of the commission
    "市卫生健康委",  # fuzzy (0.94, linked): 青山市卫生健康委员会 shortened
    "市发展改革委",  # fuzzy (0.93, linked): 青山市发展和改革委员会
    "市教育局",  # fuzzy (0.95, linked): the registry name without its place
    "市公安局",
    "市民政局",
    "市财政局",
    "市人社局",  # alias
    "市医保局",  # alias
    "市市场监管局",  # alias
    "市体育局",
    "市生态环境局",
    "市住房城乡建设局",  # fuzzy (0.98, linked): 青山市住房和城乡建设局
    "市农业农村局",
    "市文广新旅局",  # alias
    "市司法局",
    "市应急管理局",
    "市科技局",
    "市工信局",  # alias
    "市商务局",
    "市水利局",
    "市交通运输局",
    "市城管局",  # alias
    "市审计局",
    "市统计局",
    "市税务局",  # fuzzy, not linked: the registry writes 国家税务总局青山市税务局
    "市卫计委",  # an alias that expired before the document: fuzzy (0.63), not linked
    "青山市疾病预防控制中心",  # exact
    "青山市人民医院",  # exact
    "青山市中医院",  # exact
    "青山市妇幼保健院",  # exact
    "青山市中医药管理局",  # a plate of the commission
    "市卫生健康综合监督执法局",  # fuzzy (0.87), not linked: 监督执法支队
    "市急救中心",  # fuzzy (0.8), not linked: 青山市紧急救援中心
    "各县〔区〕人民政府",  # a collective (written with the brackets seed 002 uses)
    "各县（区）卫生健康委",  # a collective
    "青山经济技术开发区管委会",  # exact
    "市委宣传部",  # not in the registry
    "市委网信办",
    "市委编办",
    "市委政法委",
    "市监委",
    "市中级人民法院",
    "市人民检察院",
    "市总工会",
    "团市委",
    "市妇联",
    "市残联",
    "市红十字会",
    "市科协",
    "市广播电视台",
    "市机关事务局",
    "市林业局",
    "市粮食和储备局",
    "市扶贫办",
    "市政府督查室",
    "人民银行青山市中心支行",
    "青山银保监分局",
    "青山海关",
    "武警青山支队",
)
LEADS = 27

SECTION_TITLES = (
    "全民健康素养提升行动",
    "全民健身行动",
    "基本公共卫生服务均等化行动",
    "医疗卫生服务优化行动",
    "重点人群健康保护行动",
    "中医药传承创新行动",
    "健康保障提升行动",
    "药品供应保障行动",
    "食品药品及公共安全保障行动",
    "健康环境绿色发展行动",
    "健康城市建设推进行动",
    "健康产业创新升级行动",
    "“智慧健康”建设行动",
    "医疗卫生行业综合监管行动",
    "卫生健康人才队伍建设行动",
)
SUBJECTS = (
    "健康教育",
    "慢性病防治",
    "传染病防控",
    "妇幼健康服务",
    "老年健康服务",
    "心理健康服务",
    "职业健康监管",
    "食品安全监管",
    "疫苗流通监管",
    "医疗质量管理",
    "基层医疗卫生服务",
    "家庭医生签约服务",
    "中医药服务",
    "院前急救网络",
    "卫生应急体系",
    "健康信息平台",
    "医疗废物处置",
    "医保基金监管",
    "药品集中采购",
    "全民健身设施",
    "爱国卫生运动",
    "无烟环境建设",
    "健康村镇建设",
    "医疗联合体建设",
    "公共卫生服务项目",
)
ITEM_VERBS = ("完善", "健全", "加强", "推进", "深化", "创新", "提升", "落实")
MEASURE_VERBS = ("加强", "推进", "完善", "健全", "规范", "强化", "加快", "实施", "开展", "优化")
SENTENCES = (
    "建立健全{s}工作机制，明确部门职责分工，形成上下联动、协同推进的工作格局。",
    "加大财政投入力度，将{s}所需经费纳入年度预算，确保各项措施落到实处。",
    "完善{s}考核评价办法，定期开展督导检查，考核结果与绩效分配挂钩。",
    "推动{s}向基层延伸，提高城乡居民的获得感和满意度。",
    "依托信息化手段开展{s}动态监测，及时发现并解决突出问题。",
    "鼓励社会力量参与{s}，形成政府主导、部门协作、社会参与的多元格局。",
    "加强{s}人才队伍建设，开展业务培训和技能竞赛，提升专业服务能力。",
    "总结推广{s}的典型经验和有效做法，发挥示范引领作用。",
    "严格落实{s}相关法律法规和标准规范，依法查处违法违规行为。",
    "广泛开展{s}宣传活动，营造全社会关心支持的良好氛围。",
)
# (indicator, value, unit, qualifier): 到2025年，{indicator}达到{value}{unit}{qualifier}。
TARGETS = (
    ("居民健康素养水平", "25", "%", "以上"),
    ("经常参加体育锻炼人数比例", "40", "%", "以上"),
    ("每千常住人口执业（助理）医师数", "3.2", "人", "以上"),
    ("每千常住人口注册护士数", "3.8", "人", "以上"),
    ("每千常住人口医疗卫生机构床位数", "6.5", "张", ""),
    ("每万常住人口全科医生数", "3.5", "人", "以上"),
    ("孕产妇系统管理率", "90", "%", "以上"),
    ("婴儿死亡率", "5", "‰", "以下"),
    ("5岁以下儿童死亡率", "6", "‰", "以下"),
    ("适龄儿童免疫规划疫苗接种率", "95", "%", "以上"),
    ("严重精神障碍患者规范管理率", "85", "%", "以上"),
    ("高血压患者规范管理率", "65", "%", "以上"),
    ("2型糖尿病患者规范管理率", "65", "%", "以上"),
    ("65岁以上老年人健康管理率", "72", "%", "以上"),
    ("二级以上医院预约诊疗率", "70", "%", "以上"),
    ("县域内就诊率", "90", "%", "左右"),
    ("农村卫生厕所普及率", "95", "%", "以上"),
    ("城市空气质量优良天数比例", "85", "%", "以上"),
    ("个人卫生支出占卫生总费用的比重", "27", "%", "以下"),
    ("家庭医生签约服务覆盖率", "75", "%", "以上"),
    ("电子健康档案建档率", "90", "%", "以上"),
    ("产前筛查率", "80", "%", "以上"),
    ("人均预期寿命", "79", "岁", "左右"),
    ("每千人口拥有3岁以下婴幼儿托位数", "4.5", "个", ""),
)
TARGET_YEARS = (2022, 2025, 2030)
CN_NUMERALS = "一二三四五六七八九"


def cn_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 60 → 六十 (up to 99)."""
    if not 0 < number < 100:
        raise ValueError(f"no Chinese numeral for {number} here")
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_NUMERALS[tens - 1] + "十")
    return head + (CN_NUMERALS[ones - 1] if ones else "")


@dataclass
class Stats:
    """What the generator wrote, for the caller to check the parser against."""

    tasks: int = 0
    targets: int = 0
    markers: dict[str, int] = field(default_factory=dict)

    def marker(self, form: str) -> None:
        self.markers[form] = self.markers.get(form, 0) + 1


class PlanWriter:
    """Builds the lines of one document; `rng` decides everything."""

    def __init__(self, tasks: int, rng: random.Random) -> None:
        if tasks < 1:
            raise ValueError("a plan needs at least one task")
        self.total = tasks
        self.rng = rng
        self.lines: list[str] = []
        self.stats = Stats()

    def document(self) -> str:
        self._notice()
        sections = min(MAX_SECTIONS, max(1, round(self.total / TASKS_PER_SECTION)))
        base, extra = divmod(self.total, sections)
        for number in range(1, sections + 1):
            self._section(number, base + (1 if number <= extra else 0))
        return "\n".join(self.lines) + "\n"

    def _notice(self) -> None:
        self.lines += [
            f"{CITY}人民政府办公室关于印发{PLAN_TITLE}的通知",
            DOCUMENT_NUMBER,
            "各县（区）人民政府，青山经济技术开发区管委会，市政府各部门：",
            f"　　《{PLAN_TITLE}》已经市政府同意，现印发给你们，请结合实际认真贯彻执行。",
            f"{CITY}人民政府办公室",
            f"{YEAR}年3月12日",
            "（此件主动公开）",
            PLAN_TITLE,
            f"　　为推进健康{CITY[:-1]}建设，提高人民健康水平，根据《“健康中国2030”规划纲要》"
            "和省、市有关部署，结合我市实际，制定本分工方案。",
        ]

    def _section(self, number: int, quota: int) -> None:
        title = SECTION_TITLES[(number - 1) % len(SECTION_TITLES)]
        self._line(f"{cn_numeral(number)}、{title}")
        used = 1
        item = 0
        while used < quota:
            item += 1
            used += self._item(item, quota - used)

    def _item(self, number: int, budget: int) -> int:
        """One （一） item and its measures, using at most `budget` tasks; returns how many."""
        subject = self.rng.choice(SUBJECTS)
        measures = min(self.rng.randint(2, 8), budget - 1)
        if measures <= 0 or self.rng.random() < 0.08:
            # An item with no measures carries its own text and units, as in seed 004.
            text = self._text(subject, self.rng.randint(2, 3))
            heading = f"（{cn_numeral(number)}）{self.rng.choice(ITEM_VERBS)}{subject}"
            self._line(f"{heading}{text}{self._bracketed()}")
            return 1
        self._line(f"（{cn_numeral(number)}）{self.rng.choice(ITEM_VERBS)}{subject}")
        used = 1
        for measure in range(1, measures + 1):
            if used >= budget:
                break
            used += self._measure(measure, subject, budget - used)
        return used

    def _measure(self, number: int, subject: str, budget: int) -> int:
        subject = self.rng.choice([subject, *SUBJECTS])
        title = f"{self.rng.choice(MEASURE_VERBS)}{subject}"
        text = self._text(subject, self.rng.randint(2, 5)) + self._target()
        form = self.rng.random()
        if form < 0.12:
            self._line(f"{number}.{title}。{text}")
            self._own_line_marker()
        else:
            self._line(f"{number}.{title}。{text}{self._bracketed()}")
        used = 1
        if self.rng.random() < 0.3:
            for sub in range(1, self.rng.randint(2, 4) + 1):
                if used >= budget:
                    break
                used += self._sub_item(sub)
        return used

    def _sub_item(self, number: int) -> int:
        subject = self.rng.choice(SUBJECTS)
        text = self._text(subject, self.rng.randint(1, 2)) + self._target()
        units = ""
        if self.rng.random() < 0.35:
            units = f"（责任单位：{'、'.join(self._units(1, 3))}）"
            self.stats.marker("responsible")
        self._line(f"（{number}）{self.rng.choice(MEASURE_VERBS)}{subject}。{text}{units}")
        return 1

    def _bracketed(self) -> str:
        """A bracketed marker in one of the forms plan documents use."""
        roll = self.rng.random()
        if roll < 0.55:
            lead, *partners = self._units(2, 8)
            self.stats.marker("lead_partners")
            return f"（{lead}牵头，{'、'.join(partners)}等部门参与）"
        if roll < 0.85:
            self.stats.marker("responsible")
            return f"（责任单位：{'、'.join(self._units(1, 6))}）"
        self.stats.marker("in_charge")
        return f"（{self._units(1, 1)[0]}负责）"

    def _own_line_marker(self) -> None:
        lead, *partners = self._units(2, 5)
        self.stats.marker("own_line")
        self.lines.append(f"　　牵头单位：{lead}；配合单位：{'、'.join(partners)}")

    def _units(self, least: int, most: int) -> list[str]:
        """A lead drawn from the usual leads, then others; no name twice."""
        count = self.rng.randint(least, most)
        lead = self.rng.choice(UNITS[:LEADS]) if self.rng.random() < 0.9 else "市卫健委"
        others = self.rng.sample([u for u in UNITS if u != lead], count - 1)
        return [lead, *others]

    def _text(self, subject: str, sentences: int) -> str:
        picked = self.rng.sample(SENTENCES, sentences)
        return "".join(s.format(s=subject) for s in picked)

    def _target(self) -> str:
        if self.rng.random() >= 0.29:  # measures and sub-items: ~1/4 of all tasks
            return ""
        indicator, value, unit, qualifier = self.rng.choice(TARGETS)
        year = self.rng.choice(TARGET_YEARS)
        self.stats.targets += 1
        return f"到{year}年，{indicator}达到{value}{unit}{qualifier}。"

    def _line(self, text: str) -> None:
        """A numbered paragraph: one task."""
        self.stats.tasks += 1
        self.lines.append(f"　　{text}")


def plan_document(tasks: int = 2000, seed: int = 20250101) -> tuple[str, Stats]:
    """The document text and what it holds."""
    writer = PlanWriter(tasks, random.Random(seed))
    text = writer.document()
    return text, writer.stats


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000, help="numbered paragraphs in all")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--out", type=Path, help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    if args.tasks < 1:
        parser.error("--tasks must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    text, stats = plan_document(args.tasks, args.seed)
    if args.out is None:
        sys.stdout.write(text)
        return
    args.out.write_text(text, encoding="utf-8")
    forms = ", ".join(f"{form} {count}" for form, count in sorted(stats.markers.items()))
    print(
        f"{args.out}: {stats.tasks} tasks, {stats.targets} targets, markers: {forms}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
