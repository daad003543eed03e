import warnings

import mapclassify
import numpy as np
import pandas as pd
import pytest

from geo.analysis.metrics import add_metrics, class_breaks, classify, fisher_jenks, ordinal


def test_metrics_exact_values():
    t = add_metrics(pd.DataFrame({"signatures": [10, 30, 0, 60], "population": [1000, 1000, 2000, 4000]}))
    assert t["per_1000"].tolist() == [10.0, 30.0, 0.0, 15.0]
    assert t["share"].tolist() == pytest.approx([0.1, 0.3, 0.0, 0.6])
    # UK rate = 100 / 8000; index = local rate / UK rate
    assert t["index"].tolist() == pytest.approx([0.8, 2.4, 0.0, 1.2])
    assert t["rank"].tolist() == [3, 2, 4, 1]
    assert t["rank_rate"].tolist() == [3, 1, 4, 2]


@pytest.mark.parametrize("signatures, population, rank, rank_rate", [
    ([5, 5, 10], [100, 100, 200], [2, 2, 1], [1, 1, 1]),
    ([7, 7, 7, 7], [10, 20, 30, 40], [1, 1, 1, 1], [1, 2, 3, 4]),
    ([0, 3, 3, 0, 9], [1, 1, 1, 1, 1], [4, 2, 2, 4, 1], [4, 2, 2, 4, 1]),
])
def test_ties_share_the_best_rank(signatures, population, rank, rank_rate):
    t = add_metrics(pd.DataFrame({"signatures": signatures, "population": population}))
    assert t["rank"].tolist() == rank and t["rank_rate"].tolist() == rank_rate
    assert t["rank"].dtype == "int64"


@pytest.mark.parametrize("signatures, population", [
    ([5, 10, 15], [100, 200, 300]), ([1, 1], [7, 7]), ([333, 2000], [111, 666.6666666666666]),
])
def test_uniform_rate_gives_index_one(signatures, population):
    t = add_metrics(pd.DataFrame({"signatures": signatures, "population": population}))
    assert t["index"].tolist() == pytest.approx([1.0] * len(signatures))


def test_zero_signatures_do_not_divide_by_zero():
    t = add_metrics(pd.DataFrame({"signatures": [0, 0], "population": [10, 10]}))
    assert t["share"].tolist() == [0.0, 0.0] and t["index"].tolist() == [0.0, 0.0]
    assert t["rank"].tolist() == [1, 1]


def test_input_is_not_modified():
    table = pd.DataFrame({"signatures": [1, 2], "population": [10, 10]})
    add_metrics(table)
    assert list(table.columns) == ["signatures", "population"]


def _fj_reference(values, k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed"
        return list(mapclassify.FisherJenks(values, k=k).bins)


FJ_CASES = {
    "lognormal": (np.random.default_rng(0).lognormal(3, 1, 300), 6),
    "lognormal k=5": (np.random.default_rng(1).lognormal(2, 1.5, 250), 5),
    "normal": (np.random.default_rng(2).normal(0, 1, 120), 6),
    "uniform k=4": (np.random.default_rng(3).uniform(0, 100, 200), 4),
    "poisson ties": (np.random.default_rng(4).poisson(3, 400).astype(float), 6),
    "mostly zeros": (np.r_[np.zeros(200), np.random.default_rng(5).integers(1, 50, 300)].astype(float), 6),
    "k=2": (np.random.default_rng(6).exponential(1, 100), 2),
    "seven levels k=6": (np.array([1, 1, 2, 2, 3, 3, 4, 5, 6, 7], dtype=float), 6),
}


@pytest.mark.parametrize("values, k", FJ_CASES.values(), ids=FJ_CASES.keys())
def test_fisher_jenks_matches_mapclassify(values, k):
    assert fisher_jenks(values, k) == pytest.approx(_fj_reference(values, k))


@pytest.mark.parametrize("values, k, expected", [
    ([1, 2, 3, 10, 11, 12, 30, 31], 3, [3.0, 12.0, 31.0]),
    ([4, 1, 3, 2], 4, [1.0, 2.0, 3.0, 4.0]),
    ([5, 5, 5, 9], 3, [5.0, 9.0]),  # fewer levels than classes
])
def test_fisher_jenks_exact(values, k, expected):
    assert fisher_jenks(np.array(values, dtype=float), k) == expected


@pytest.mark.parametrize("values, scheme, k, expected", [
    (np.arange(1, 1001), "log", 6, [1.0, 5.0, 20.0, 50.0, 200.0, 1000.0]),
    (np.r_[0, np.arange(1, 1001)], "log", 6, [0.0, 1.0, 5.0, 20.0, 50.0, 200.0, 1000.0]),  # zeros get a class
    ([0.5, 5, 50, 500], "log", 3, [0.5, 20.0, 500.0]),
    (np.arange(600.0), "quantiles", 6, [99.83333333333334, 199.66666666666669, 299.5, 399.33333333333337,
                                        499.16666666666674, 599.0]),
    ([1, 2, 3, 10, 11, 12, 30, 31], "fisher_jenks", 3, [3.0, 12.0, 31.0]),
    # fewer distinct values than classes: one class per value, whatever the scheme
    ([1, 1, 2], "quantiles", 6, [1.0, 2.0]),
    ([3, 1, 2, 3], "fisher_jenks", 6, [1.0, 2.0, 3.0]),
    ([10, 1000, 10], "log", 6, [10.0, 1000.0]),
    ([0, 0, 0], "quantiles", 6, [0.0]),
    ([], "quantiles", 6, [0.0]),
    ([np.nan, 4, np.inf, 4], "fisher_jenks", 6, [4.0]),  # non-finite values are ignored
])
def test_class_breaks_exact(values, scheme, k, expected):
    assert class_breaks(values, scheme, k) == pytest.approx(expected)


@pytest.mark.parametrize("scheme", ["quantiles", "fisher_jenks", "log"])
@pytest.mark.parametrize("seed", [1, 2])
def test_class_breaks_end_at_the_maximum_and_increase(scheme, seed):
    values = np.random.default_rng(seed).lognormal(3, 1.5, 650)
    breaks = class_breaks(values, scheme, k=6)
    assert breaks[-1] == pytest.approx(values.max())
    assert breaks == sorted(breaks) and len(set(breaks)) == len(breaks) and 2 <= len(breaks) <= 7
    assert (classify(values, breaks) >= 0).all() and set(classify(values, breaks)) == set(range(len(breaks)))


def test_class_breaks_fisher_jenks_is_the_mapclassify_optimum():
    values = np.random.default_rng(9).lognormal(3, 1, 200)
    assert class_breaks(values, "fisher_jenks", 6) == pytest.approx(_fj_reference(values, 6))


def test_class_breaks_accept_a_series():
    assert class_breaks(pd.Series([1, 2, 3, 10, 11, 12, 30, 31]), "fisher_jenks", 3) == [3.0, 12.0, 31.0]


def test_quantile_classes_hold_similar_counts():
    values = np.arange(600, dtype=float)
    counts = np.bincount(classify(values, class_breaks(values, "quantiles", 6)))
    assert counts.tolist() == [100] * 6


@pytest.mark.parametrize("values, breaks, expected", [
    ([0, 5, 5.1, 10, 11], [5, 10], [0, 0, 1, 1, 1]),  # a value equal to a break is in that break's class
    ([-1, 0, 1], [0.0], [0, 0, 0]),
    ([1, 2, 3, 4], [1, 2, 3, 4], [0, 1, 2, 3]),
    ([], [1, 2], []),
])
def test_classify(values, breaks, expected):
    assert classify(values, breaks).tolist() == expected


def test_unknown_scheme():
    with pytest.raises(ValueError, match="unknown classification scheme 'magic'"):
        class_breaks(np.arange(20.0), "magic")


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"), (112, "112th"),
                                     (650, "650th"), (111, "111th"), (123, "123rd")])
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_float_noise_does_not_make_a_class(petition_files):
    from petitions.model import read_petition_file
    from tests.documents import joined

    table = joined(read_petition_file(petition_files["603658"])).table  # very local: mostly zeros
    london = table[table["region"] == "London"]["per_1000"]
    breaks = class_breaks(london, "quantiles", 6)
    assert all(b == 0.0 or b > 1e-6 for b in breaks), breaks
