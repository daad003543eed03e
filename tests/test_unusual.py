import numpy as np
import pandas as pd
import pytest

from geo.analysis.unusual import MIN_RATIO, assess, bh_adjust, chance_words, overall, usual_share

UK = 1 / 650  # a seat of average size signing at the UK rate


def corpus(share: float, n: int = 200, seed: int = 1, sizes=(2_000, 200_000)):
    """A seat that signs `share` of every petition's UK signatures, with binomial noise."""
    rng = np.random.default_rng(seed)
    totals = rng.integers(*sizes, size=n)
    return rng.binomial(totals, share), totals


def with_petition(here, totals, x, n):
    return np.append(here, x), np.append(totals, n)


@pytest.mark.parametrize("name, share, x, n, popular, unpopular", [
    # a seat that signs everything a lot (3× the UK rate) is not unusual where it signs its usual share
    ("keen seat, its usual share", 3 * UK, round(3 * UK * 50_000), 50_000, False, False),
    # ... even though a raw index vs the UK would call that 3×
    ("average seat, its usual share", UK, round(UK * 50_000), 50_000, False, False),
    # a genuinely local petition is
    ("local petition", UK, 400, 1_200, True, False),
    ("keen seat, local petition", 3 * UK, 900, 2_000, True, False),
    # a 2-signature petition never is, even with both signatures here
    ("2 signatures, both here", UK, 2, 2, False, False),
    ("9 signatures, all here", UK, 9, 9, False, False),
    ("9 of 300 here: 30× but too few to list", UK, 9, 300, False, False),
    ("10 of 300 here: enough", UK, 10, 300, True, False),
    # a petition the seat ignores is unusually unpopular when enough were expected
    ("ignored big petition", 3 * UK, 20, 100_000, False, True),
    # ... but a zero where about one was expected is unremarkable
    ("zero where one was usual", UK, 0, 650, False, False),
    # a huge petition a few percent above usual is significant in a binomial sense but not unusual
    ("1M signatures, 10 % above usual", UK, round(1.1 * UK * 1_000_000), 1_000_000, False, False),
])
def test_unusual_against_the_seats_own_share(name, share, x, n, popular, unpopular):
    here, totals = with_petition(*corpus(share), x, n)
    result = assess(here, totals).iloc[-1]
    assert (bool(result["popular"]), bool(result["unpopular"])) == (popular, unpopular), name
    assert (result["words"] != "") == (popular or unpopular)


def test_usual_share_is_the_seats_own_not_the_uk_rate():
    here, totals = corpus(3 * UK)
    assert usual_share(here, totals) == pytest.approx(3 * UK, rel=0.05)
    raw = assess(here, totals)
    assert not raw["popular"].any() and not raw["unpopular"].any()  # nothing is unusual in a uniform corpus


def test_a_few_local_petitions_do_not_move_the_usual_share():
    here, totals = corpus(UK)
    base = usual_share(here, totals)
    for _ in range(10):
        here, totals = with_petition(here, totals, 900, 1_000)
    assert usual_share(here, totals) == pytest.approx(base, rel=0.02)


def test_small_petitions_do_not_set_the_usual_share():
    here, totals = corpus(UK)
    small_here, small_totals = np.full(500, 5), np.full(500, 10)  # 50 % here, but tiny
    assert usual_share(np.append(here, small_here), np.append(totals, small_totals)) == pytest.approx(
        usual_share(here, totals))


def test_usual_share_of_a_corpus_of_small_petitions_is_pooled():
    assert usual_share(np.array([1, 0, 3]), np.array([10, 20, 30])) == pytest.approx(4 / 60)
    assert usual_share(np.array([]), np.array([])) == 0.0


def test_words_say_the_ratio_count_and_chance():
    here, totals = with_petition(*corpus(UK), 412, 412 * 650 // 3)
    row = assess(here, totals).iloc[-1]
    assert row["popular"] and row["words"].startswith(f"{row['ratio']:.1f}× this seat's usual share; 412 signatures;")
    assert row["words"].endswith("very unlikely by chance")
    low = assess(*with_petition(*corpus(3 * UK), 20, 100_000)).iloc[-1]
    assert "20 signatures where about" in low["words"] and low["words"].startswith(f"{low['ratio']:.2f}×")


@pytest.mark.parametrize("q, words", [(0.0001, "very unlikely by chance"), (0.005, "unlikely by chance"),
                                      (0.03, "probably not chance")])
def test_chance_words(q, words):
    assert chance_words(q) == words


def test_ratio_below_the_minimum_is_never_listed():
    here, totals = corpus(UK)
    n = 200_000
    x = round(UK * n * (MIN_RATIO - 0.05))  # overwhelmingly significant, but only 1.45×
    assert not assess(*with_petition(here, totals, x, n)).iloc[-1]["popular"]


def test_fdr_controls_false_discoveries_over_many_null_petitions():
    here, totals = corpus(UK, n=5_000, seed=7, sizes=(100, 5_000))
    result = assess(here, totals, usual=UK)
    assert result["popular"].sum() + result["unpopular"].sum() <= 5  # chance alone lists (almost) nothing


@pytest.mark.parametrize("p, q", [
    ([0.01, 0.04, 0.03, 0.2], [0.04, 0.16 / 3, 0.16 / 3, 0.2]),  # 0.03·4/2 = 0.06 > 0.04·4/3
    ([0.5, np.nan, 0.01], [0.5, np.nan, 0.02]),
    ([np.nan], [np.nan]),
    ([0.001] * 3, [0.001] * 3),
])
def test_bh_adjust_table(p, q):
    assert np.allclose(bh_adjust(np.array(p)), np.array(q), equal_nan=True)


@pytest.mark.parametrize("here, totals, words", [
    ([1, 2], [3], "two lists of one length"),
    ([5], [3], "between 0 and"),
    ([-1], [3], "between 0 and"),
    ([np.nan], [3], "between 0 and"),
])
def test_bad_input_is_named(here, totals, words):
    with pytest.raises(ValueError, match=words):
        assess(np.array(here), np.array(totals))


def test_overall_share_of_signatures_against_share_of_residents():
    here, totals = np.array([30, 10]), np.array([1_000, 1_000])
    o = overall(here, totals, population=100_000, uk_population=10_000_000)
    assert o.share_of_signatures == pytest.approx(0.02) and o.share_of_residents == pytest.approx(0.01)
    assert o.index == pytest.approx(2.0) and o.signatures == 40 and o.petitions == 2
    with pytest.raises(ValueError, match="not a seat"):
        overall(here, totals, population=2, uk_population=1)


def test_overall_rounds_estimated_signatures_as_every_other_figure_of_the_seat():
    # Estimates across the boundary change are fractional: 26,924.6 is shown as 26,925 in the comparison table.
    o = overall(np.array([26_000.4, 924.2]), np.array([100_000.0, 50_000.0]), population=1, uk_population=10)
    assert o.signatures == 26_925 and o.uk_signatures == 150_000


def test_words_can_wait_until_rows_are_shown():
    from geo.analysis.unusual import described

    rng = np.random.default_rng(8)
    totals = rng.integers(100, 50_000, 400).astype(float)
    here = np.minimum(totals, rng.binomial(totals.astype(int), 0.002) * rng.choice([0, 1, 3], 400)).astype(float)
    eager = assess(here, totals)
    lazy = assess(here, totals, describe=False)
    assert (lazy["words"] == "").all() and (eager["words"] != "").any()
    pd.testing.assert_frame_equal(described(lazy), eager)
    shown = described(lazy.iloc[::7])
    pd.testing.assert_frame_equal(shown, eager.iloc[::7])
