import mapclassify
import numpy as np
import pandas as pd
import pytest

from geo.metrics import add_metrics, class_breaks, classify, fisher_jenks, ordinal


def test_metrics_exact_values():
    t = add_metrics(pd.DataFrame({"signatures": [10, 30, 0, 60], "population": [1000, 1000, 2000, 4000]}))
    assert t["per_1000"].tolist() == [10.0, 30.0, 0.0, 15.0]
    assert t["share"].tolist() == pytest.approx([0.1, 0.3, 0.0, 0.6])
    # UK rate = 100 / 8000; index = local rate / UK rate
    assert t["index"].tolist() == pytest.approx([0.8, 2.4, 0.0, 1.2])
    assert t["rank"].tolist() == [3, 2, 4, 1]
    assert t["rank_rate"].tolist() == [3, 1, 4, 2]


def test_uniform_rate_gives_index_one_and_ties_share_rank():
    t = add_metrics(pd.DataFrame({"signatures": [5, 5, 10], "population": [100, 100, 200]}))
    assert t["index"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert t["rank"].tolist() == [2, 2, 1]
    assert t["rank_rate"].tolist() == [1, 1, 1]


def test_zero_signatures_do_not_divide_by_zero():
    t = add_metrics(pd.DataFrame({"signatures": [0, 0], "population": [10, 10]}))
    assert t["share"].tolist() == [0.0, 0.0] and t["index"].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("seed", range(6))
def test_fisher_jenks_matches_mapclassify(seed):
    values = np.random.default_rng(seed).lognormal(3, 1, 300)
    assert fisher_jenks(values, 6) == pytest.approx(list(mapclassify.FisherJenks(values, k=6).bins))


@pytest.mark.parametrize("scheme", ["quantiles", "fisher_jenks", "log"])
def test_class_breaks_end_at_the_maximum_and_increase(scheme):
    values = np.random.default_rng(1).lognormal(3, 1.5, 650)
    breaks = class_breaks(values, scheme, k=6)
    assert breaks[-1] == pytest.approx(values.max())
    assert breaks == sorted(breaks) and len(set(breaks)) == len(breaks) and 2 <= len(breaks) <= 7


def test_quantile_classes_hold_similar_counts():
    values = np.arange(600, dtype=float)
    counts = np.bincount(classify(values, class_breaks(values, "quantiles", 6)))
    assert counts.min() >= 95 and counts.max() <= 105


@pytest.mark.parametrize("values, expected", [([1, 1, 2], [1.0, 2.0]), ([0, 0, 0], [0.0]), ([], [0.0])])
def test_few_distinct_values(values, expected):
    assert class_breaks(values, "quantiles", 6) == expected


def test_classify_puts_values_at_or_below_a_break_in_its_class():
    assert classify([0, 5, 5.1, 10, 11], [5, 10]).tolist() == [0, 0, 1, 1, 1]


def test_unknown_scheme():
    with pytest.raises(ValueError, match="unknown classification scheme"):
        class_breaks(np.arange(20.0), "magic")


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"), (112, "112th")])
def test_ordinal(n, text):
    assert ordinal(n) == text
