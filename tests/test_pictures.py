import io
import re
from dataclasses import replace

import pytest
from PIL import Image

from geo.render.maps import NO_SIGNATURES
from geo.render.pictures import HEIGHT, WIDTH, map_image, map_svg
from petitions.model import read_petition_file
from tests.documents import joined


@pytest.fixture(scope="module")
def petition(petition_files):
    p = read_petition_file(petition_files["239406"])
    return p, joined(p)


def test_png_is_a_real_picture_of_the_map(petition):
    p, result = petition
    png = map_image(result, "per_1000")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (WIDTH, HEIGHT) and len(png) > 50_000
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # a drawn map, not a blank page
    # Dark blue of the top class appears (the map was coloured).
    assert any(abs(r - 0x0c) < 30 and abs(g - 0x2c) < 30 and abs(b - 0x84) < 40 for _, (r, g, b) in colours)
    # The title was rasterised: dark text pixels in the title band.
    band = image.crop((0, 0, WIDTH, 90)).getcolors(maxcolors=1_000_000)
    assert sum(n for n, (r, g, b) in band if r < 80 and g < 80 and b < 80) > 500


def test_svg_carries_title_legend_and_attribution(petition):
    p, result = petition
    svg = map_image(result, "index", view="hex", fmt="svg").decode()
    assert svg.startswith("<svg") and svg.count('class="seat"') == 650
    for text in ("Undertake an independent enquiry", "Index vs UK", "Open Government Licence",
                 "petition.parliament.uk", "Contains OS data", "0.90 – 1.10"):
        assert text in svg


def test_area_and_selection(petition):
    p, result = petition
    svg = map_svg(result, "signatures", area="London", selected="E14000639")  # Cities of London and Westminster
    assert svg.count('class="seat"') == 73 and "London" in svg
    assert svg.count('stroke="#d6004c"') == 1


def test_sparse_petition_shows_the_grey_class(petition_files):
    p = read_petition_file(petition_files["603658"])
    svg = map_svg(joined(p), "signatures")
    assert len(re.findall(f'class="seat" d="[^"]+" fill="{NO_SIGNATURES}"', svg)) == 650 - 153
    assert "No signatures" in svg


def test_text_from_the_petition_is_escaped(petition):
    p, result = petition
    svg = map_svg(replace(result, petition=replace(p, action='Ban <script>alert("x")</script> & more')))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; more" in svg


def test_unknown_format_is_refused(petition):
    p, result = petition
    with pytest.raises(ValueError, match="unknown picture format"):
        map_image(result, fmt="gif")
