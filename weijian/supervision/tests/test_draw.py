"""The draw as a pure function: rules, reproducibility, 回避, infeasibility, balance, JSON shape."""

import itertools
import json
import random
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weijian.supervision.draw import DrawResult, Inspector, Institution, Rules, draw


def pool(n: int) -> list[Institution]:
    return [Institution(f"91360300MA{i:08d}", f"机构{i}") for i in range(n)]


def staff(n: int, inspected_last_round: frozenset[str] = frozenset()) -> list[Inspector]:
    previous = inspected_last_round
    return [Inspector(f"赣执{i:05d}", f"人员{i}", inspected_last_round=previous) for i in range(n)]


def loads(result: DrawResult, inspectors: list[Inspector]) -> Counter[str]:
    counted = Counter({p.key: 0 for p in inspectors if p.certified})
    counted.update(k for s in result.selected for k in s.inspectors)
    return counted


def allowed(person: Inspector, key: str, rules: Rules) -> bool:
    previous = person.inspected_last_round if rules.avoid_previous_round else frozenset()
    return person.certified and key not in person.worked_at | person.relatives_at | previous


@pytest.mark.parametrize(
    ("ratio", "size", "expected"),
    [(0.05, 100, 5), (0.05, 101, 6), (0.05, 10, 1), (0.05, 1, 1), (1.0, 7, 7), (0.05, 0, 0)],
)
def test_ratio_rounds_up_and_draws_at_least_one(ratio: float, size: int, expected: int) -> None:
    assert Rules(ratio=ratio).sample_size(size) == expected
    result = draw(pool(size), staff(4), Rules(ratio=ratio), seed=1)
    assert len(result.selected) == expected
    assert result.pool_size == size


def test_count_larger_than_the_pool_takes_the_whole_pool() -> None:
    result = draw(pool(3), staff(6), Rules(count=10), seed=1)
    assert len(result.selected) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "抽取数量和抽取比例须且只能填写一项"),
        ({"count": 2, "ratio": 0.1}, "抽取数量和抽取比例须且只能填写一项"),
        ({"count": 0}, "抽取数量必须至少为1"),
        ({"ratio": 0.0}, "抽取比例必须大于0且不超过1"),
        ({"ratio": 1.5}, "抽取比例必须大于0且不超过1"),
        ({"count": 1, "group_size": 1}, "每组执法人员不得少于2名"),
    ],
)
def test_bad_rules_are_refused_in_chinese(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Rules(**kwargs)  # type: ignore[arg-type]


def test_bad_weight_and_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="机构X的风险权重必须为正数"):
        Institution("X", "机构", weight=0)
    with pytest.raises(ValueError, match="机构编号重复：A"):
        draw([Institution("A", "甲"), Institution("A", "乙")], staff(2), Rules(count=1), seed=1)
    with pytest.raises(ValueError, match="执法人员编号重复"):
        draw(pool(2), [Inspector("Z1"), Inspector("Z1")], Rules(count=1), seed=1)


def test_same_inputs_in_any_order_give_the_same_draw() -> None:
    institutions, inspectors = pool(200), staff(30)
    first = draw(institutions, inspectors, Rules(ratio=0.1), seed=42)
    shuffled_i, shuffled_p = institutions[:], inspectors[:]
    random.Random(7).shuffle(shuffled_i)
    random.Random(8).shuffle(shuffled_p)
    assert draw(shuffled_i, shuffled_p, Rules(ratio=0.1), seed=42) == first


def test_different_seeds_give_different_draws() -> None:
    institutions, inspectors = pool(200), staff(30)
    results = {draw(institutions, inspectors, Rules(ratio=0.1), seed=s) for s in range(5)}
    assert len(results) == 5
    groups = {
        draw(pool(10), inspectors, Rules(ratio=1.0), seed=s).selected[0].inspectors
        for s in range(10)
    }
    assert len(groups) > 1


def test_only_certified_inspectors_are_drawn() -> None:
    inspectors = staff(4) + [Inspector(f"未持证{i}", certified=False) for i in range(20)]
    result = draw(pool(20), inspectors, Rules(ratio=1.0), seed=3)
    drawn = {k for s in result.selected for k in s.inspectors}
    assert drawn == {p.key for p in inspectors if p.certified}
    assert result.inspector_pool_size == 24


CONFLICTED: dict[str, Callable[[str, frozenset[str]], Inspector]] = {
    "worked_at": lambda key, at: Inspector(key, worked_at=at),
    "relatives_at": lambda key, at: Inspector(key, relatives_at=at),
    "inspected_last_round": lambda key, at: Inspector(key, inspected_last_round=at),
}


@pytest.mark.parametrize("kind", sorted(CONFLICTED))
def test_every_conflict_kind_is_avoided(kind: str) -> None:
    institutions = pool(5)
    target = institutions[0].key
    make = CONFLICTED[kind]
    inspectors = staff(3) + [make(f"赣执9{i}", frozenset({target})) for i in range(5)]
    for seed in range(30):
        result = draw(institutions, inspectors, Rules(ratio=1.0), seed=seed)
        group = next(s.inspectors for s in result.selected if s.institution.key == target)
        assert all(key.startswith("赣执0") for key in group)
        assert result.conflicts_avoided == 5


def test_previous_round_conflict_can_be_switched_off() -> None:
    target = pool(1)[0].key
    inspectors = staff(2, inspected_last_round=frozenset({target}))
    on = draw(pool(1), inspectors, Rules(count=1), seed=1)
    off = draw(pool(1), inspectors, Rules(count=1, avoid_previous_round=False), seed=1)
    assert on.selected == () and len(on.uncovered) == 1
    assert len(off.selected) == 1 and off.conflicts_avoided == 0


def test_infeasible_draw_draws_nothing_and_says_why() -> None:
    institutions = pool(3)
    blocked, ok = institutions[0].key, institutions[1].key
    inspectors = [
        Inspector("A", worked_at=frozenset({blocked})),
        Inspector("B", worked_at=frozenset({blocked})),
        Inspector("C", worked_at=frozenset({blocked}), relatives_at=frozenset({blocked})),
        Inspector("D", relatives_at=frozenset({blocked, ok})),
        Inspector("E"),
    ]
    result = draw(institutions, inspectors, Rules(ratio=1.0), seed=5)
    assert result.selected == ()
    assert result.conflicts_avoided == 0
    assert [u.institution for u in result.uncovered] == [blocked]
    assert result.uncovered[0].reason == (
        "可派执法人员不足：需要2名，无利益冲突的持证人员只有1名（3名曾在该机构工作、2名有亲属在该机构）"
    )


def test_too_few_certified_inspectors_leaves_every_institution_uncovered() -> None:
    result = draw(pool(4), staff(2), Rules(count=2, group_size=3), seed=9)
    assert result.selected == ()
    assert len(result.uncovered) == 2
    assert {u.reason for u in result.uncovered} == {
        "可派执法人员不足：需要3名，无利益冲突的持证人员只有2名"
    }


def test_unweighted_json_has_exactly_the_documented_shape() -> None:
    institutions = [Institution("91360300MA35ABCD1X", "萍乡市人民医院", weight=3.0)]
    inspectors = staff(2)
    result = draw(institutions, inspectors, Rules(count=1, weighted=False), seed=42)
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert data == {
        "seed": 42,
        "pool_size": 1,
        "inspector_pool_size": 2,
        "selected": [
            {
                "institution": "91360300MA35ABCD1X",
                "name": "萍乡市人民医院",
                "weight": 1.0,
                "inspectors": ["赣执00000", "赣执00001"],
            }
        ],
        "uncovered": [],
        "conflicts_avoided": 0,
    }
    weighted = draw(institutions, inspectors, Rules(count=1), seed=42).to_json()
    assert weighted["selected"][0]["weight"] == 3.0


def test_uncovered_json_shape() -> None:
    data = draw(pool(1), staff(1), Rules(count=1), seed=1).to_json()
    assert data["selected"] == []
    assert data["uncovered"] == [
        {
            "institution": "91360300MA00000000",
            "reason": "可派执法人员不足：需要2名，无利益冲突的持证人员只有1名",
        }
    ]


def test_conflicts_force_uneven_load_only_where_they_must() -> None:
    # Nine institutions, three inspectors; A worked at eight of them, so A takes at most one duty
    # and B and C, one per institution each, carry the other 17 of the 18 as 9 and 8.
    institutions = pool(9)
    keys = frozenset(i.key for i in institutions[1:])
    inspectors = [Inspector("A", worked_at=keys), Inspector("B"), Inspector("C")]
    result = draw(institutions, inspectors, Rules(ratio=1.0), seed=2)
    assert sorted(loads(result, inspectors).values()) == [1, 8, 9]


def test_balance_repairs_what_the_greedy_pass_leaves() -> None:
    # Many conflicts concentrated on a few institutions: the result still has max - min <= 1,
    # which is achievable here (checked by the counts).
    institutions = pool(40)
    rng = random.Random(11)
    inspectors = [
        Inspector(f"P{i:02d}", worked_at=frozenset(rng.sample([x.key for x in institutions], 25)))
        for i in range(12)
    ]
    for seed in range(20):
        result = draw(institutions, inspectors, Rules(ratio=1.0), seed=seed)
        counted = loads(result, inspectors).values()
        assert max(counted) - min(counted) <= 1


# --- properties -------------------------------------------------------------------------------


@st.composite
def scenarios(draw_: st.DrawFn) -> tuple[list[Institution], list[Inspector], Rules, int]:
    n = draw_(st.integers(0, 12))
    institutions = [
        Institution(f"I{i}", f"机构{i}", weight=draw_(st.sampled_from([0.5, 1.0, 2.0, 5.0])))
        for i in range(n)
    ]
    keys = [i.key for i in institutions]
    subsets = st.frozensets(st.sampled_from(keys), max_size=3) if keys else st.just(frozenset())
    inspectors = [
        Inspector(
            f"P{j}",
            certified=draw_(st.integers(0, 3)) > 0,
            worked_at=draw_(subsets),
            relatives_at=draw_(subsets),
            inspected_last_round=draw_(subsets),
        )
        for j in range(draw_(st.integers(0, 10)))
    ]
    rules = Rules(
        count=draw_(st.integers(1, 12)),
        group_size=draw_(st.integers(2, 3)),
        avoid_previous_round=draw_(st.booleans()),
    )
    return institutions, inspectors, rules, draw_(st.integers(0, 2**32))


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_constraints_always_hold(
    scenario: tuple[list[Institution], list[Inspector], Rules, int],
) -> None:
    institutions, inspectors, rules, seed = scenario
    result = draw(institutions, inspectors, rules, seed)
    assert result == draw(list(reversed(institutions)), list(reversed(inspectors)), rules, seed)
    by_key = {p.key: p for p in inspectors}
    expected = rules.sample_size(len(institutions))
    if result.uncovered:
        assert result.selected == ()
        for u in result.uncovered:
            free = [p for p in inspectors if allowed(p, u.institution, rules)]
            assert len(free) < rules.group_size
        return
    assert len(result.selected) == expected
    assert len({s.institution.key for s in result.selected}) == expected
    for s in result.selected:
        assert len(set(s.inspectors)) == rules.group_size
        assert all(allowed(by_key[k], s.institution.key, rules) for k in s.inspectors)


@st.composite
def tight_scenarios(draw_: st.DrawFn) -> tuple[list[Institution], list[Inspector], Rules, int]:
    institutions = pool(draw_(st.integers(1, 4)))
    keys = [i.key for i in institutions]
    inspectors = [
        Inspector(f"P{j}", worked_at=draw_(st.frozensets(st.sampled_from(keys))))
        for j in range(draw_(st.integers(2, 5)))
    ]
    rules = Rules(ratio=1.0, group_size=draw_(st.integers(2, 3)))
    return institutions, inspectors, rules, draw_(st.integers(0, 2**32))


@settings(max_examples=300, deadline=None)
@given(tight_scenarios())
def test_loads_are_as_even_as_the_conflicts_allow(
    scenario: tuple[list[Institution], list[Inspector], Rules, int],
) -> None:
    # Brute force over every assignment: the draw reaches the least sum of squared loads, so
    # max - min <= 1 whenever any assignment achieves it.
    institutions, inspectors, rules, seed = scenario
    result = draw(institutions, inspectors, rules, seed)
    if not result.selected:
        return
    people = [p.key for p in inspectors]
    options = [
        [
            group
            for group in itertools.combinations(inspectors, rules.group_size)
            if all(allowed(p, s.institution.key, rules) for p in group)
        ]
        for s in result.selected
    ]
    best_squares, best_spread = None, None
    for choice in itertools.product(*options):
        spread = Counter({k: 0 for k in people})
        spread.update(p.key for group in choice for p in group)
        squares = sum(v * v for v in spread.values())
        if best_squares is None or squares < best_squares:
            best_squares = squares
        width = max(spread.values()) - min(spread.values())
        best_spread = width if best_spread is None else min(best_spread, width)
    counted = loads(result, inspectors).values()
    assert sum(v * v for v in counted) == best_squares
    assert max(counted) - min(counted) <= max(1, best_spread or 0)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30), st.integers(2, 12), st.integers(2, 4), st.integers(0, 2**32))
def test_without_conflicts_the_load_is_always_even(n: int, m: int, g: int, seed: int) -> None:
    inspectors = staff(m)
    result = draw(pool(n), inspectors, Rules(ratio=1.0, group_size=g), seed)
    if m < g:
        assert result.selected == ()
        return
    counted = loads(result, inspectors).values()
    assert max(counted) - min(counted) <= 1
