import numpy as np
import pandas as pd
import pytest

from geo.analysis.seat import (
    CORPUS_COLUMNS,
    area_rates,
    filter_rows,
    options,
    profile_csv,
    seat_corpus,
    seat_profile,
    signing_matrix,
    similar_seats,
    summary_html,
)
from geo.reference.crosswalk import build_crosswalk, load_crosswalk


def latest_from(counts: dict[str, dict[int, int]], totals: dict[int, int]):
    """A store's latest_counts_for over a small corpus: {code: {petition: count}}, {petition: UK total}."""
    def latest(code):
        here = counts.get(code, {})
        return pd.DataFrame({"petition_id": list(totals), "action": [f"Petition {p}" for p in totals],
                             "state": "closed", "signature_count": [here.get(p, 0) for p in totals],
                             "constituency_total": list(totals.values())})
    return latest


WALK = build_crosswalk(pd.DataFrame({"PARL10": ["A", "A", "B"], "PARL25": ["X", "Y", "Y"],
                                     "overlap_pop": ["300", "100", "100"]}),
                       pd.DataFrame({"UKPARL.2025": ["X", "Y"], "PCON24CD": ["N1", "N2"]}))


def test_a_2024_seat_estimates_petitions_of_2010_boundaries():
    # petition 1 uses 2010 seats A and B; petition 2 uses 2024 seats N1, N2; petition 3 has none here
    latest = latest_from({"A": {1: 40}, "B": {1: 10}, "N2": {2: 7}, "N1": {2: 3}}, {1: 500, 2: 100, 3: 50})
    corpus = seat_corpus(latest, "N2", "pcon2024", WALK).set_index("petition_id")
    assert list(corpus.columns) == CORPUS_COLUMNS[1:]
    assert corpus.loc[1, "here"] == pytest.approx(40 * 0.25 + 10 * 1.0) and corpus.loc[1, "estimated"]
    assert corpus.loc[2, "here"] == 7 and not corpus.loc[2, "estimated"]
    assert 3 not in corpus.index  # no signature on either boundaries and no known set: left out
    known = seat_corpus(latest, "N2", "pcon2024", WALK, {3: "pcon2010"}).set_index("petition_id")
    assert known.loc[3, "here"] == 0 and known.loc[3, "estimated"]


def test_a_2010_seat_estimates_petitions_of_2024_boundaries():
    latest = latest_from({"A": {1: 40}, "N2": {2: 8}, "N1": {2: 3}}, {1: 500, 2: 100})
    corpus = seat_corpus(latest, "A", "pcon2010", WALK).set_index("petition_id")
    assert corpus.loc[1, "here"] == 40 and not corpus.loc[1, "estimated"]
    assert corpus.loc[2, "here"] == pytest.approx(3 * 1.0 + 8 * 0.5) and corpus.loc[2, "estimated"]


def test_the_real_lookup_estimates_bristol_central_from_bristol_west():
    walk = load_crosswalk()
    latest = latest_from({"E14000602": {1: 1_000}}, {1: 100_000})
    corpus = seat_corpus(latest, "E14001131", "pcon2024", walk)  # Bristol Central: mostly old Bristol West
    assert corpus["here"].iloc[0] == pytest.approx(1_000 * walk.weights_into("E14001131", "pcon2024")["E14000602"])
    assert bool(corpus["estimated"].iloc[0])


def synthetic_profile(n=300, seed=3):
    rng = np.random.default_rng(seed)
    totals = rng.integers(1_000, 50_000, size=n)
    here = rng.binomial(totals, 1 / 300)
    here[0], totals[0] = 600, 2_000  # a local petition
    here[1], totals[1] = 0, 45_000  # ignored here
    corpus = pd.DataFrame({"petition_id": np.arange(1, n + 1), "action": [f"=cmd {i}" for i in range(n)],
                           "state": "closed", "here": here.astype(float), "total": totals.astype(float),
                           "set": "pcon2024", "estimated": False})
    table = pd.DataFrame({"ons_code": ["S1", "S2"], "name": ["Seat One", "Seat <Two>"], "population": [100, 200]})
    facts = pd.DataFrame({"petition_id": np.arange(1, n + 1), "parliament": ["2019–2024", "2024–"] * (n // 2),
                          "states": [("closed", "responded")] + [("closed",)] * (n - 1),
                          "departments": [("Home Office",)] * n, "topics": [("Health",), ()] * (n // 2)})
    return seat_profile(corpus, "S2", "pcon2024", table, facts)


def test_profile_lists_and_overall():
    profile = synthetic_profile()
    assert profile.popular()["petition_id"].tolist()[:1] == [1]
    assert 2 in profile.unpopular()["petition_id"].tolist()
    assert profile.most_signed(n=1)["petition_id"].tolist() == [1] or profile.most_signed(n=1)["here"].iloc[0] >= 600
    assert profile.overall.share_of_residents == pytest.approx(2 / 3) and profile.name == "Seat <Two>"


@pytest.mark.parametrize("kwargs, count", [({}, 300), ({"parliament": "2024–"}, 150), ({"state": "responded"}, 1),
                                           ({"state": "closed"}, 300), ({"department": "Home Office"}, 300),
                                           ({"topic": "Health"}, 150), ({"topic": "Nope"}, 0)])
def test_filters(kwargs, count):
    assert len(filter_rows(synthetic_profile().rows, **kwargs)) == count


def test_filter_options_come_from_the_rows():
    rows = synthetic_profile().rows
    assert options(rows, "topics") == ["Health"] and options(rows, "missing") == []


def test_csv_export_escapes_formulas_and_says_the_verdict():
    text = profile_csv(synthetic_profile()).decode()
    head, first = text.splitlines()[:2]
    assert head.startswith("ons_code,constituency,petition_id,action,state,signatures_here,estimated")
    assert first.startswith("S2,Seat <Two>,1,'=cmd 0,closed,600.0,False") and "unusually popular" in first


def test_printable_summary_escapes_and_fits_one_page():
    page = summary_html(synthetic_profile(), "<b>MP</b>", "Source: test")
    assert "Seat &lt;Two&gt;" in page and "&lt;b&gt;MP&lt;/b&gt;" in page and "<b>MP</b>" not in page
    assert "@page {size: A4" in page and page.count("<tr>") <= 3 * 9


def test_area_rates_on_one_scale():
    table = pd.DataFrame({"ons_code": ["A", "B", "C"], "name": ["a", "b", "c"], "population": [1000, 1000, 2000],
                          "region": ["R", "R", "Q"], "nation": ["England"] * 3})
    rates = area_rates(pd.Series({"A": 10, "B": 30, "C": 4}), table, "A", ["A", "B"]).set_index("area")
    assert rates["per_1000"].to_dict() == {"a": 10.0, "b": 30.0, "R": 20.0, "England": 11.0, "United Kingdom": 11.0}
    beside = area_rates(pd.Series({"A": 10, "B": 30, "C": 4}), table, "A", ["A"], ["C"])
    assert beside[["area", "kind", "ons_code"]].values.tolist()[:2] == [["a", "this seat", "A"], ["c", "similar", "C"]]


def pattern_matrix(petitions: int = 40, seed: int = 1) -> pd.DataFrame:
    """Six seats over `petitions` petitions: K is keen (twice L's counts on everything), L is the pattern, M
    mirrors it (signs what L does not), N and O are noise, Z signs nothing."""
    rng = np.random.default_rng(seed)
    base = rng.integers(20, 400, petitions)
    return pd.DataFrame({"L": base, "K": base * 2, "M": 8_000 // base, "N": rng.integers(20, 400, petitions),
                         "O": rng.integers(20, 400, petitions), "Z": 0}).T


@pytest.mark.parametrize("code, first, last", [("L", "K", "M"), ("K", "L", "M"), ("M", None, "K")])
def test_similar_seats_follow_the_pattern_not_the_amount(code, first, last):
    found = similar_seats(pattern_matrix(), code, n=10)
    assert "Z" not in found.index and code not in found.index  # a seat that signed nothing is like no seat
    if first:
        assert found.index[0] == first and found.iloc[0] == pytest.approx(1.0, abs=0.01)
    assert found.index[-1] == last and found.iloc[-1] < -0.5
    assert found.is_monotonic_decreasing


def test_too_few_petitions_make_no_similar_seats():
    assert similar_seats(pattern_matrix(petitions=19), "L").empty
    assert similar_seats(pattern_matrix(), "Z").empty and similar_seats(pattern_matrix(), "nowhere").empty


def test_signing_matrix_takes_the_most_signed_petitions_of_one_set():
    asked = []

    def counts_of(ids, codes):
        asked.append(ids)
        assert codes == ["A", "B", "C"]
        return pd.DataFrame({"petition_id": [1, 1, 3], "ons_code": ["A", "B", "A"], "signature_count": [5, 7, 2]})

    totals = pd.Series({1: 900, 2: 5_000, 3: 300, 4: 400, 5: 50})
    sets = {1: "pcon2024", 2: "pcon2010", 3: "pcon2024", 4: "pcon2024", 5: "pcon2024"}
    got = signing_matrix(counts_of, totals, sets, "pcon2024", ["A", "B", "C"], n=3)
    assert asked == [[1, 4, 3]]  # most signed first; the other set's and those under 100 signatures left out
    assert got.to_dict() == {1: {"A": 5, "B": 7, "C": 0}, 4: {"A": 0, "B": 0, "C": 0}, 3: {"A": 2, "B": 0, "C": 0}}


def test_store_weighted_counts_and_totals_agree_with_one_seat(store_url, mirror):
    from petitions.offline import seed_store
    from petitions.store import open_store

    store = open_store(store_url)
    seed_store(store, mirror)
    weights = {"E14000602": 0.5, "E14000599": 0.25, "E14001131": 1.0, "E99999999": 3.0}  # the last is no seat
    expected = pd.Series(dtype="float64")
    totals = store.code_totals()
    for code, w in weights.items():
        one = store.latest_counts_for(code).set_index("petition_id")["signature_count"].astype("float64")
        expected = expected.add(one[one > 0] * w, fill_value=0.0)
        assert totals.get(code, 0) == one.sum()
    got = store.weighted_latest(weights)
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False, check_index_type=False)
    assert store.weighted_latest({}).empty


def test_seat_corpus_is_the_same_through_either_store_query(tmp_path, mirror):
    from petitions.offline import seed_store
    from petitions.store import open_store

    store = open_store(tmp_path / "s.sqlite")
    seed_store(store, mirror)
    walk = load_crosswalk()
    fast = seat_corpus(store.latest_counts_for, "E14001582", "pcon2024", walk, weighted=store.weighted_latest)
    slow = seat_corpus(store.latest_counts_for, "E14001582", "pcon2024", walk)
    pd.testing.assert_frame_equal(fast, slow)


@pytest.mark.parametrize("parliament, expected", [("2019–2024", "pcon2010"), ("2024–", "pcon2024"),
                                                  ("2010–2015", "pcon2010"), ("", None), (None, None)])
def test_a_petitions_boundaries_follow_its_parliament(parliament, expected):
    from geo.analysis.seat import petition_sets

    assert list(petition_sets(pd.Series([parliament], dtype=object))) == [expected]


def test_corpus_sums_add_the_other_boundaries_estimated():
    from geo.analysis.seat import corpus_sums

    walk = build_crosswalk(pd.DataFrame({"PARL10": ["A", "A", "B", "S"], "PARL25": ["X", "Y", "Y", "Z"],
                                         "overlap_pop": ["300", "100", "100", "50"]}),
                           pd.DataFrame({"UKPARL.2025": ["X", "Y", "Z"], "PCON24CD": ["N1", "N2", "S"]}))
    totals = pd.Series({"A": 40, "B": 10, "N2": 7, "S": 5})  # S: a code both sets share, kept whole
    assert corpus_sums(totals, ["N1", "N2", "S"], ["A", "B", "S"], "pcon2024", walk).to_dict() == {
        "N1": 30.0, "N2": 27.0, "S": 5.0}
    assert corpus_sums(totals, ["A", "B", "S"], ["N1", "N2", "S"], "pcon2010", walk).to_dict() == {
        "A": 43.5, "B": 13.5, "S": 5.0}
