import json
import re

import pytest
import shapely

from geo.join import join_petition
from geo.labels import plotly_text
from geo.maps import (
    AREAS,
    DIVERGING,
    METRICS,
    VIEWS,
    animated_choropleth,
    boundaries_geojson,
    choropleth,
    filter_area,
    hex_geojson,
    legend_classes,
    selected_code,
)
from petitions.model import read_petition_file


@pytest.fixture(scope="module")
def table(petition_files):
    return join_petition(read_petition_file(petition_files["239406"])).table


CODES = ["E14000530", "E14000531", "E14000532"]


@pytest.mark.parametrize("points, expected", [
    ([{"curve_number": 0, "point_index": 1, "location": "E14000532"}], "E14000532"),  # location wins
    ([{"curve_number": 0, "point_index": 1}], "E14000531"),
    ([{"curve_number": 0, "point_number": 2}], "E14000532"),
    ([{"curve_number": 1, "point_index": 0}], None),  # the highlight outline is not a choice
    ([{"curve_number": 1, "point_index": 0}, {"curve_number": 0, "point_index": 0}], "E14000530"),
    ([{"curve_number": 0, "point_index": 9}], None),
    ([], None),
    # as Streamlit sends a click on a choropleth (event.selection.points)
    ([{"curve_number": 0, "point_number": 2, "point_index": 2, "location": "E14000532", "z": 3}], "E14000532"),
    ([{"curve_number": 1, "point_number": 0, "point_index": 0, "location": "E14000530", "z": 0}], None),
])
def test_selected_code(points, expected):
    assert selected_code(points, CODES) == expected


@pytest.mark.parametrize("area, count", [("UK", 650), ("England", 533), ("Scotland", 59), ("Wales", 40),
                                         ("Northern Ireland", 18), ("London", 73)])
@pytest.mark.parametrize("view", list(VIEWS))
def test_areas_and_views(table, area, count, view):
    fig = choropleth(table, "per_1000", view=view, area=area)
    assert len(fig.data[0].locations) == count
    ids = {f["id"] for f in fig.data[0].geojson["features"]}
    assert set(fig.data[0].locations) <= ids


def label_numbers(labels: list[str]) -> list[float]:
    """The class bounds a legend prints, in order: "≤ 9", "9 – 13", …, "> 34" → [9, 9, 13, …, 34]."""
    return [float(n.replace(",", "")) for label in labels for n in re.findall(r"[\d,]*\.?\d+", label)]


@pytest.mark.parametrize("area, count", [("UK", 650), ("England", 533), ("Scotland", 59), ("Wales", 40),
                                         ("Northern Ireland", 18), ("London", 73)])
@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("metric", list(METRICS))
def test_every_metric_view_and_area_has_its_locations_and_an_ordered_legend(table, metric, view, area, count):
    fig = choropleth(table, metric, view=view, area=area, geojson="/app/static/geo/x.json")
    trace = fig.data[0]
    assert len(trace.locations) == count == len(trace.z)
    labels = list(trace.colorbar.ticktext)
    assert len(labels) == len(set(labels)) == len(trace.colorbar.tickvals)
    bounds = label_numbers(labels)
    assert bounds == sorted(bounds) and len(set(bounds)) == len(labels) - 1
    assert trace.zmin == -0.5 and trace.zmax == len(labels) - 0.5


@pytest.mark.parametrize("name, metric", [("603658", "index"), ("603658", "per_1000"), ("332711", "per_1000"),
                                          ("332711", "index"), ("241584@2019-03-21T2310", "per_1000")])
def test_legend_bounds_of_skewed_petitions_read_differently(petition_files, name, metric):
    # A very local petition: a huge top value once made every bound print with no decimals ("1 – 1", "1 – 1").
    skewed = join_petition(read_petition_file(petition_files[name])).table
    labels = list(choropleth(skewed, metric, geojson="/x.json").data[0].colorbar.ticktext)
    bounds = label_numbers(labels)
    assert len(set(labels)) == len(labels) and bounds == sorted(bounds) and len(set(bounds)) == len(labels) - 1
    if metric == "index":
        assert labels == ["≤ 0.50", "0.50 – 0.75", "0.75 – 0.90", "0.90 – 1.10", "1.10 – 1.33", "1.33 – 2.00",
                          "> 2.00"]


@pytest.mark.parametrize("metric", list(METRICS))
def test_legend_classes_are_ordered_and_cover_the_values(table, metric):
    breaks, labels, colours = legend_classes(table[metric], metric)
    assert breaks == sorted(breaks) and breaks[-1] >= table[metric].max()
    assert len(labels) == len(breaks) == len(colours)
    fig = choropleth(table, metric)
    assert list(fig.data[0].colorbar.ticktext) == labels
    assert fig.data[0].z.max() <= len(breaks) - 1


def test_index_uses_the_diverging_palette_centred_on_one(table):
    breaks, labels, colours = legend_classes(table["index"], "index")
    assert colours == DIVERGING
    middle = breaks.index(1.1)
    assert breaks[middle - 1] == 0.9 and colours[middle] == "#f7f7f7"  # 0.9–1.1 is neutral
    assert len(colours) == 2 * middle + 1  # as many classes below 1.0 as above it
    for low, high in zip(breaks[:middle], reversed(breaks[middle:-1])):
        assert low * high == pytest.approx(1.0, abs=0.01)  # symmetric in ratio: 0.5 ↔ 2, 0.75 ↔ 1.33
    fig = choropleth(table.assign(index=1.0), "index")
    assert set(fig.data[0].z) == {middle}  # exactly typical → the neutral colour
    assert fig.data[0].colorscale[2 * middle][1] == "#f7f7f7"


def test_selected_constituency_is_outlined(table):
    fig = choropleth(table, "signatures", selected="E14000602")
    assert len(fig.data) == 2 and list(fig.data[1].locations) == ["E14000602"]
    assert fig.data[1].hoverinfo == "skip"


def test_hover_names_mp_count_rate_and_rank(table):
    fig = choropleth(table, "signatures")
    row = list(fig.data[0].locations).index("E14000602")
    # 100 signatures, 145,072 residents; UK: 13,933 of 67,080,418
    assert list(fig.data[0].customdata[row]) == [
        "Bristol West", "Thangam Debbonaire MP", 100, pytest.approx(100 / 145072 * 1000, abs=1e-3),
        pytest.approx((100 / 145072) / (13933 / 67080418), abs=1e-3), "1st of 650"]
    assert "Rank" in fig.data[0].hovertemplate


def test_geojson_by_url_keeps_the_figure_small(table):
    inline = choropleth(table, "signatures")
    linked = choropleth(table, "signatures", geojson="/app/static/geo/x.json")
    assert len(linked.to_json()) < 120_000 < len(inline.to_json())


def test_hexes_are_closed_clockwise_and_disjoint(table):
    doc = hex_geojson(table)
    rings = [f["geometry"]["coordinates"][0] for f in doc["features"]]
    assert all(r[0] == r[-1] and len(r) == 7 for r in rings)
    polygons = [shapely.Polygon(r) for r in rings]
    assert not any(shapely.is_ccw(p.exterior) for p in polygons)
    assert shapely.area(shapely.union_all(polygons)) == pytest.approx(sum(p.area for p in polygons), rel=1e-3)


def test_boundaries_geojson_ids_are_codes(table):
    doc = json.loads(json.dumps(boundaries_geojson(table.head(3))))
    assert [f["id"] for f in doc["features"]] == table["ons_code"].head(3).tolist()


def test_unknown_choices_are_refused(table):
    for kwargs in ({"area": "Mars"}, {"view": "globe"}, {"scheme": "magic"}):
        with pytest.raises(ValueError, match="unknown"):
            choropleth(table, "signatures", **kwargs)
    with pytest.raises(ValueError, match="unknown area"):
        filter_area(table, "Atlantis")
    assert set(AREAS) == {"UK", "England", "Scotland", "Wales", "Northern Ireland", "London"}


def test_animation_has_a_frame_per_snapshot_on_one_scale(table):
    later = table.assign(per_1000=table["per_1000"] * 3)
    fig = animated_choropleth([("a", table), ("b", later)], "per_1000", geojson="/x.json")
    assert [f.name for f in fig.frames] == ["a", "b"]
    assert [s.label for s in fig.layout.sliders[0].steps] == ["a", "b"]
    assert fig.frames[1].data[0].z.mean() > fig.frames[0].data[0].z.mean()


def test_hover_text_and_bar_labels_are_text_not_html(table):
    import pandas as pd

    from geo.maps import animated_choropleth, bar_chart

    evil = '<a href="https://evil.example/mp">Evil MP</a>'
    hostile = table.assign(mp=evil, name="<b>Seat</b>")
    fig = choropleth(hostile, "signatures")
    assert tuple(fig.data[0].customdata[0][:2]) == ("&lt;b&gt;Seat&lt;/b&gt;", plotly_text(evil))
    animated = animated_choropleth([("a", hostile), ("b", hostile)], "signatures")
    assert animated.data[0].text[0] == "&lt;b&gt;Seat&lt;/b&gt;"
    bars = bar_chart(pd.DataFrame({"country": [evil, "France"], "signatures": [5, 3]}), "signatures", "country")
    assert list(bars.data[0].y) == [plotly_text(evil), "France"]
    assert "<a" not in bars.to_json() and "<a" not in fig.to_json()
