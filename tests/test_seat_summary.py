"""The one-page summary of a seat (SVG, PNG by resvg) on the mirror's petitions."""

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from geo.analysis.across import neighbours
from geo.analysis.seat import area_rates, petition_sets, profile_of_store
from geo.reference.crosswalk import load_crosswalk
from geo.reference.datasets import load_set
from geo.render.maps import path_d
from geo.render.seat_summary import HEIGHT, WIDTH, path_bounds, summary_png, summary_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, mirror):
    from petitions.offline import seed_store
    from petitions.store import open_store

    store = open_store(tmp_path_factory.mktemp("summary") / "s.sqlite")
    seed_store(store, mirror)
    return store


def page(store, code, set_name, name="Bristol West"):
    table = load_set(set_name).table
    facts = store.petition_facts()
    facts["set"] = petition_sets(facts["parliament"])
    profile = profile_of_store(store.latest_counts_for, store.weighted_latest, code, set_name, load_crosswalk(),
                               table, facts)
    sums = store.code_totals().reindex(table["ons_code"], fill_value=0)
    near = neighbours(table, code)
    rates = area_rates(sums, table, code, near)
    per_1000 = sums / table.set_index("ons_code")["population"] * 1000
    return profile, summary_svg(profile, mp="<Thangam> & MP", place="Bristol, South West", boundaries="2010–2024",
                                rates=rates, per_1000=per_1000, focus=near, attribution="Sources: ONS & co")


def test_path_bounds_of_a_drawn_shape():
    import shapely

    square = shapely.Polygon([(10, 20), (40, 20), (40, 25), (10, 25)])
    ring = shapely.Polygon([(0, 0), (5, 0), (5, 5)]).union(shapely.box(100, 100, 101, 103))
    assert path_bounds(path_d(square)) == (10, 20, 40, 25)
    assert path_bounds(path_d(ring)) == (0, 0, 101, 103)


def test_the_summary_of_bristol_west_is_one_page_with_every_part(seeded):
    profile, svg = page(seeded, "E14000602", "pcon2010")
    root = ET.fromstring(svg)  # well-formed: every text escaped
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    joined = " ".join(texts)
    assert root.get("width") == str(WIDTH) and root.get("height") == str(HEIGHT)
    assert texts[0] == "Bristol West" and "MP: <Thangam> & MP" in texts
    for part in ("Most signed here", "Unusually popular here", "Unusually unpopular here", "signs vs its size",
                 "Bristol West (this seat)", "United Kingdom (UK)", "Sources: ONS"):
        assert part in joined, part
    assert f"{profile.overall.signatures:,.0f}" in texts
    assert profile.most_signed(n=1)["action"].iloc[0][:60] in joined
    seats = [p for p in root.iter(f"{SVG}path")]
    assert len(seats) == len(neighbours(load_set("pcon2010").table, "E14000602")) + 1  # + the seat's outline
    ys = [float(t.get("y")) for t in root.iter(f"{SVG}text")]
    assert max(ys) < HEIGHT  # nothing falls off the page
    png = summary_png(svg)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == WIDTH and int.from_bytes(png[20:24], "big") == HEIGHT


def test_a_2024_seat_marks_its_estimates(seeded):
    profile, svg = page(seeded, "E14001131", "pcon2024")
    assert profile.estimated > 0
    assert "(estimate)" in svg and "estimated across the boundary change" in svg
    assert pd.notna(profile.overall.index)


@pytest.mark.parametrize("code, set_name", [("E14001131", "pcon2024"), ("E14000602", "pcon2010")])
def test_the_comparison_is_on_the_scale_of_the_headline(seeded, code, set_name):
    from geo.analysis.seat import corpus_sums

    profile, _ = page(seeded, code, set_name)
    other = "pcon2010" if set_name == "pcon2024" else "pcon2024"
    sums = corpus_sums(seeded.code_totals(), load_set(set_name).table["ons_code"], load_set(other).table["ons_code"],
                       set_name, load_crosswalk())
    assert sums[code] == pytest.approx(profile.rows["here"].sum(), rel=0.01)
    everyone = sums.sum() / seeded.code_totals().sum()
    assert everyone == pytest.approx(1.0, abs=0.001)  # every stored signature counted once on one set's seats
