import io
import shutil

import pytest
from PIL import Image

from geo.join import join_petition
from geo.pictures import HEIGHT, WIDTH, map_figure, map_image
from petitions.model import read_petition_file

pytestmark = pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium (make browser)")


@pytest.fixture(scope="module")
def petition(petition_files):
    p = read_petition_file(petition_files["239406"])
    return p, join_petition(p)


def test_png_is_a_real_picture_of_the_map(petition):
    p, result = petition
    png = map_image(p, result, "per_1000")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (WIDTH, HEIGHT) and len(png) > 50_000
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # a drawn map, not a blank page
    # Dark blue of the top class appears (the map was coloured, offline).
    assert any(abs(r - 0x0c) < 30 and abs(g - 0x2c) < 30 and abs(b - 0x84) < 40 for _, (r, g, b) in colours)


def test_svg_carries_title_legend_and_attribution(petition):
    p, result = petition
    svg = map_image(p, result, "index", view="hex", fmt="svg").decode()
    assert svg.startswith("<svg") and svg.count('class="choroplethlocation"') == 650
    for text in ("Undertake an independent enquiry", "Index vs UK", "Open Government Licence",
                 "petition.parliament.uk", "Contains OS data"):
        assert text in svg


def test_figure_has_title_and_every_attribution(petition):
    p, result = petition
    fig = map_figure(p, result, "signatures", area="London")
    notes = fig.layout.annotations[0].text
    assert "petition.parliament.uk" in notes and "Office for National Statistics" in notes
    assert "London" in fig.layout.title.text and len(fig.data[0].locations) == 73
