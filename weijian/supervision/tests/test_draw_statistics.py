"""Selection frequencies over many seeds follow the weights (chi-square, fixed seeds: no flakes).

The draw is successive sampling (module doc of weijian.supervision.draw). For one institution out
of N the probability is exactly w / Σw. For two out of N the test compares the frequency of each
unordered pair with its exact successive-sampling probability
P({a, b}) = w_a/W · w_b/(W − w_a) + w_b/W · w_a/(W − w_b), which checks the joint law and so the
inclusion probabilities too.

Critical values are the 0.999 quantiles of the chi-square distribution (standard tables, e.g. the
NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.4; checked against the regularised
incomplete gamma function: P(χ²₄ > 18.467) = 0.00100, P(χ²₉ > 27.877) = 0.00100). The seeds are
fixed (0 … DRAWS − 1), so a pass or a failure is the same on every run.
"""

import itertools
from collections import Counter

from weijian.supervision.draw import Inspector, Institution, Rules, draw

CHI2_999 = {4: 18.467, 9: 27.877}
DRAWS = 40_000
WEIGHTS = {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0, "E": 10.0}
POOL = [Institution(key, f"机构{key}", weight=w) for key, w in WEIGHTS.items()]
STAFF = [Inspector("赣执1"), Inspector("赣执2")]


def chi_square(observed: Counter[object], expected: dict[object, float]) -> float:
    return sum((observed[k] - e) ** 2 / e for k, e in expected.items())


def frequencies(rules: Rules) -> Counter[object]:
    counted: Counter[object] = Counter()
    for seed in range(DRAWS):
        keys = tuple(s.institution.key for s in draw(POOL, STAFF, rules, seed).selected)
        counted[keys if len(keys) > 1 else keys[0]] += 1
    return counted


def pair_probability(a: str, b: str) -> float:
    total = sum(WEIGHTS.values())
    wa, wb = WEIGHTS[a], WEIGHTS[b]
    return wa / total * wb / (total - wa) + wb / total * wa / (total - wb)


def test_one_of_n_follows_the_weights() -> None:
    total = sum(WEIGHTS.values())
    expected: dict[object, float] = {k: DRAWS * w / total for k, w in WEIGHTS.items()}
    observed = frequencies(Rules(count=1))
    assert chi_square(observed, expected) < CHI2_999[len(WEIGHTS) - 1]


def test_unweighted_draw_is_uniform() -> None:
    expected: dict[object, float] = {k: DRAWS / len(WEIGHTS) for k in WEIGHTS}
    observed = frequencies(Rules(count=1, weighted=False))
    assert chi_square(observed, expected) < CHI2_999[len(WEIGHTS) - 1]


def test_weighted_draw_is_not_uniform() -> None:
    # The test has power: the weighted frequencies are far from the uniform law.
    expected: dict[object, float] = {k: DRAWS / len(WEIGHTS) for k in WEIGHTS}
    observed = frequencies(Rules(count=1))
    assert chi_square(observed, expected) > 100 * CHI2_999[len(WEIGHTS) - 1]


def test_two_of_n_pairs_follow_successive_sampling() -> None:
    pairs = list(itertools.combinations(sorted(WEIGHTS), 2))
    expected: dict[object, float] = {p: DRAWS * pair_probability(*p) for p in pairs}
    assert abs(sum(expected.values()) - DRAWS) < 1e-6
    observed = frequencies(Rules(count=2))
    assert set(observed) <= set(expected)
    assert chi_square(observed, expected) < CHI2_999[len(pairs) - 1]
