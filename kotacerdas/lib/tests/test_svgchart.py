import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.svgchart import CHARTS, Point, bar_chart, pie_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def test_bar_chart_has_one_bar_per_point_with_its_number_as_text():
    root = parse(bar_chart("Penduduk", [Point("Sukorejo", 3579), Point("Sananwetan", 4443.5)]))
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    tips = [bar.find(f"{SVG}title").text for bar in bars]
    assert tips == ["Sukorejo: 3.579", "Sananwetan: 4.443,5"]
    assert float(bars[1].get("height")) > float(bars[0].get("height"))


def test_labels_and_titles_are_escaped():
    svg = bar_chart("<script>", [Point("<b>x</b>", 1)])
    assert "<script>" not in svg and "<b>" not in svg
    parse(svg)


def test_pie_shares_add_up_and_skip_negative_values():
    root = parse(pie_chart("Bagian", [Point("a", 1), Point("b", 3), Point("c", -2)]))
    slices = root.findall(f"{SVG}path")
    assert [s.find(f"{SVG}title").text for s in slices] == ["a: 1 (25.0%)", "b: 3 (75.0%)"]


def test_single_slice_is_a_full_circle():
    root = parse(pie_chart("Satu", [Point("semua", 5)]))
    assert root.find(f"{SVG}circle") is not None


@pytest.mark.parametrize("kind", sorted(CHARTS))
def test_empty_chart_is_still_a_valid_picture(kind):
    assert parse(CHARTS[kind]("Kosong", [])).tag == f"{SVG}svg"


@given(st.lists(st.tuples(st.text(max_size=30), st.floats(-1e9, 1e9, allow_nan=False)), max_size=60),
       st.sampled_from(sorted(CHARTS)))
def test_any_data_gives_well_formed_svg(rows, kind):
    svg = CHARTS[kind]("t", [Point(label, value) for label, value in rows])
    parse(svg)
