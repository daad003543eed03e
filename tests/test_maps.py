import json
import re

import numpy as np
import pytest
import shapely

from geo.analysis.metrics import SCHEMES
from geo.render.maps import (
    AREAS,
    DIVERGING,
    METRICS,
    NO_CLASS,
    NO_SIGNATURES,
    SEQUENTIAL,
    abbreviation,
    filter_area,
    frame_layers,
    geometry,
    legend_classes,
    map_values,
    path_d,
    summary,
)
from petitions.model import read_petition_file
from tests.documents import joined


@pytest.fixture(scope="module")
def table(petition_files):
    return joined(read_petition_file(petition_files["239406"])).table


@pytest.fixture(scope="module")
def sparse(petition_files):
    return joined(read_petition_file(petition_files["603658"])).table


def bounds(label: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", label)]


def luminance(colour: str) -> float:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_sparse_petition_has_a_grey_class_and_integer_count_classes(sparse, scheme):
    # 603658 (Reading prison): 153 seats with signatures; once "0 | 0–1 | > 1" made 455 look like 2.
    cls, legend = legend_classes(sparse["signatures"], "signatures", scheme)
    assert legend[-1] == {"label": "No signatures", "colour": NO_SIGNATURES}
    assert (cls == NO_CLASS).sum() == 650 - 153 == (sparse["signatures"] == 0).sum()
    ranges = [bounds(e["label"]) for e in legend[:-1]]
    assert all(len(r) in (1, 2) and all(v == int(v) for v in r) for r in ranges)
    flat = [v for r in ranges for v in r]
    assert flat == sorted(flat) and len(set(flat)) == len(flat)  # "1–2", "3–5": no overlap
    for a, b in zip(ranges, ranges[1:]):
        assert b[0] == a[-1] + 1  # integer bounds that meet
    assert ranges[0][0] == 1 and ranges[-1][-1] == sparse["signatures"].max() == 455
    used = set(cls[cls != NO_CLASS].tolist())
    assert used == set(range(len(legend) - 1))  # no empty class
    assert len({e["label"] for e in legend}) == len(legend)
    # 455 signatures and 2 (or 4) signatures are not in one class any more
    at = {n: cls[sparse["signatures"].to_numpy() == n][0] for n in (2, 4, 455)}
    assert at[455] != at[2] and (scheme == "log" or at[455] != at[4])
    if scheme == "quantiles":  # collapsed quantiles: the top class is split again
        assert [e["label"] for e in legend] == ["1", "2", "3", "4–7", "8–26", "27–455", "No signatures"]


@pytest.mark.parametrize("metric", list(METRICS))
@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("name", ["239406", "603658", "332711", "700143", "241584@2019-03-21T2310"])
def test_every_class_is_used_ordered_and_labelled_once(petition_files, name, metric, scheme):
    t = joined(read_petition_file(petition_files[name])).table
    cls, legend = legend_classes(t[metric], metric, scheme, signed=t["signatures"] > 0)
    colour_classes = [e for e in legend if e["colour"] != NO_SIGNATURES]
    assert set(cls[cls != NO_CLASS].tolist()) == set(range(len(colour_classes)))
    assert len({e["label"] for e in legend}) == len(legend) and len({e["colour"] for e in legend}) == len(legend)
    flat = [v for e in colour_classes for v in bounds(e["label"])]
    assert flat == sorted(flat)
    values = t[metric].to_numpy()
    for k in range(len(colour_classes)):  # higher classes hold higher values
        if k:
            assert values[cls == k].min() >= values[cls == k - 1].max()
    assert (cls == NO_CLASS).sum() == (t["signatures"] == 0).sum()


def test_log_labels_are_readable(table):
    _, legend = legend_classes(table["signatures"], "signatures", "log")
    assert [e["label"] for e in legend] == ["1", "2", "3–5", "6–20", "21–50", "51–100"]  # 1, 2, 5 × powers of ten
    _, legend = legend_classes(table["per_1000"], "per_1000", "log")
    assert [e["label"] for e in legend][1:] == ["0.02 – 0.05", "0.05 – 0.10", "0.10 – 0.50", "0.50 – 0.83"]


def test_index_uses_the_diverging_palette_centred_on_one(table):
    cls, legend = legend_classes(table["index"], "index")
    labels = [e["label"] for e in legend]
    assert labels == ["under 0.50", "0.50 – 0.75", "0.75 – 0.90", "0.90 – 1.10", "1.10 – 1.33", "1.33 – 2.00",
                      "2.00 or more"]
    assert [e["colour"] for e in legend] == DIVERGING
    typical, only = legend_classes(np.ones(10), "index")
    assert set(typical) == {0} and only == [{"label": "0.90 – 1.10", "colour": DIVERGING[3]}]  # the neutral class


def test_every_colour_is_visible_on_a_white_page_and_legend_text_reads():
    for colour in [*SEQUENTIAL, *DIVERGING, NO_SIGNATURES]:
        assert contrast(colour, "#ffffff") >= 1.25, colour
    assert contrast("#262730", "#ffffff") >= 4.5  # legend text (map.css) on its white panel
    assert contrast("#45474f", "#ffffff") >= 4.5  # the summary line


def test_unknown_choices_are_refused(table):
    with pytest.raises(ValueError, match="unknown metric"):
        legend_classes(table["signatures"], "votes")
    with pytest.raises(ValueError, match="unknown scheme"):
        legend_classes(table["signatures"], "signatures", "magic")
    with pytest.raises(ValueError, match="unknown area"):
        filter_area(table, "Atlantis")
    with pytest.raises(ValueError, match="unknown view"):
        geometry(table, "globe")


@pytest.mark.parametrize("area, count", [("UK", 650), ("England", 533), ("Scotland", 59), ("Wales", 40),
                                         ("Northern Ireland", 18), ("London", 73), ("North East", 29),
                                         ("South West", 55)])
def test_area_presets(table, area, count):
    assert len(filter_area(table, area)) == count
    assert area in AREAS


@pytest.fixture(scope="module", params=["map", "hex"])
def drawing(request, constituency_sets):
    from geo.reference.datasets import load_full_boundaries

    full = load_full_boundaries("pcon2010") if request.param == "map" else None
    return geometry(constituency_sets["pcon2010"].table, request.param, full, "pcon2010")


def test_geometry_has_650_paths_by_code_and_a_frame_per_area(drawing, table):
    assert drawing["codes"] == sorted(table["ons_code"]) and len(drawing["paths"]) == 650
    assert all(d.startswith("M") and d.endswith("z") for d in drawing["paths"])
    assert set(drawing["frames"]) == set(AREAS)
    x, y, w, h = drawing["frames"]["UK"]
    lx, ly, lw, lh = drawing["frames"]["London"]
    assert x <= lx and y <= ly and lx + lw <= x + w and ly + lh <= y + h and lw < w / 2
    assert len(drawing["outlines"]) == 12  # the regions and nations
    assert len(json.dumps(drawing, separators=(",", ":"))) < 400_000  # compact: coverage-simplified, 100 m grid


def test_boundaries_are_projected_north_up_and_keep_shared_edges(drawing, table):
    if drawing["view"] != "map":
        pytest.skip("boundaries only")
    code = drawing["codes"]
    centres = dict(zip(code, drawing["centres"]))
    # British National Grid, y down: Shetland (Orkney and Shetland, S14000051) is north of Cornwall.
    assert centres["S14000051"][1] < centres["E14000964"][1]
    assert centres["N06000001"][0] < centres["E14000602"][0]  # Belfast East is west of Bristol West
    polys = [shapely.from_wkt(_wkt(d)) for d in drawing["paths"][:40]]
    union = shapely.union_all(polys)
    assert shapely.area(union) == pytest.approx(sum(p.area for p in polys), rel=1e-3)  # no overlaps


def test_hexes_are_labelled_and_odd_rows_shift_right(drawing, table):
    if drawing["view"] != "hex":
        pytest.skip("hexes only")
    assert len(drawing["labels"]) == 650 and all(1 <= len(s) <= 6 for s in drawing["labels"])
    assert drawing["hex"] > 0
    polys = [shapely.from_wkt(_wkt(d)) for d in drawing["paths"]]
    assert all(len(p.geoms) == 1 and len(p.geoms[0].exterior.coords) == 7 for p in polys)
    assert shapely.area(shapely.union_all(polys)) == pytest.approx(sum(p.area for p in polys), rel=1e-3)


@pytest.mark.parametrize("name, label", [("Bristol West", "BriW"), ("Cities of London and Westminster", "CitLW"),
                                         ("Bath", "Bath"), ("Aldershot", "Alde"),
                                         ("Orkney and Shetland", "OrkS"), ("Ynys Môn", "YnyM")])
def test_abbreviation(name, label):
    assert abbreviation(name) == label


@pytest.mark.parametrize("wkt, d", [
    ("POLYGON ((0 0, 2 0, 2 2, 0 0))", "M0 0l2 0 0 2z"),
    ("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))", "M0 0l4 0 0 4 -4 0zM1 1l1 0 0 1z"),
    ("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6.5 5, 6 6, 5 5)))", "M0 0l1 0 0 1zM5 5l1.5 0 -0.5 1z"),
])
def test_path_d(wkt, d):
    assert path_d(shapely.from_wkt(wkt)) == d


def _wkt(d: str) -> str:
    """An SVG path of path_d back to WKT (its exterior rings only)."""
    rings = []
    for part in re.findall(r"M([^z]+)z", d):
        head, steps = part.split("l")
        x, y = map(float, head.split())
        pts = [(x, y)]
        nums = list(map(float, steps.split()))
        for dx, dy in zip(nums[::2], nums[1::2]):
            x, y = x + dx, y + dy
            pts.append((x, y))
        pts.append(pts[0])
        rings.append("((" + ", ".join(f"{a} {b}" for a, b in pts) + "))")
    return "MULTIPOLYGON (" + ", ".join(rings) + ")"


def test_map_values_follow_the_geometry_order(table):
    codes = sorted(table["ons_code"])[::-1]
    values = map_values(table, codes)
    row = codes.index("E14000602")
    assert values["signatures"][row] == 100 and values["rank"][row] == 1 and values["of"] == 650
    assert values["mp"][row] == "Thangam Debbonaire MP"
    assert values["per_1000"][row] == pytest.approx(100 / 145072 * 1000, abs=0.01)
    assert set(values["classes"]) == set(METRICS) and list(values["classes"]["index"]) == ["quantiles"]
    assert all(len(v["cls"]) == 650 for m in values["classes"].values() for v in m.values())
    top = values["classes"]["signatures"]["quantiles"]
    assert top["cls"][row] == str(len(top["legend"]) - 1 - (top["legend"][-1]["colour"] == NO_SIGNATURES))


def test_summary_names_the_top_seats(table):
    assert summary(table) == ("Most signed in Bristol West, Exeter, Cambridge; highest per 1,000 residents in "
                              "Exeter, Cambridge, Bath.")
    assert summary(table.assign(signatures=0)) == "No constituency has signatures yet."


def test_frames_share_one_scale(table):
    codes = sorted(table["ons_code"])
    later = table.assign(signatures=table["signatures"] * 3)
    layers = frame_layers([("a", table), ("b", later)], "signatures", codes, title="Signatures")
    a, b = layers["frames"]
    assert [a["label"], b["label"]] == ["a", "b"] and len(a["cls"]) == len(b["cls"]) == 650
    rank = {c: i for i, c in enumerate("0123456789")}
    grew = sum(rank.get(y, -1) > rank.get(x, -1) for x, y in zip(a["cls"], b["cls"]))
    assert grew > 300 and b["values"][codes.index("E14000602")] == 300
    with pytest.raises(ValueError, match="no frames"):
        frame_layers([], "signatures", codes, title="x")


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_count_labels_hold_exactly_their_members(seed, scheme):
    counts = np.random.default_rng(seed).negative_binomial(1, 0.02, size=650)  # skewed, many zeros
    cls, legend = legend_classes(counts, "signatures", scheme)
    for k, entry in enumerate(e for e in legend if e["colour"] != NO_SIGNATURES):
        members = counts[cls == k]
        lo, hi = (bounds(entry["label"]) * 2)[:2] if "–" not in entry["label"] else bounds(entry["label"])
        assert members.size and lo <= members.min() and members.max() <= hi
    tops = [bounds(e["label"])[-1] for e in legend if e["colour"] != NO_SIGNATURES]
    lows = [bounds(e["label"])[0] for e in legend if e["colour"] != NO_SIGNATURES]
    assert all(b == a + 1 for a, b in zip(tops, lows[1:]))  # integer bounds that meet, never overlap
