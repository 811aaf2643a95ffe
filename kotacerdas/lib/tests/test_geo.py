import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.geo import EARTH_RADIUS_M, geometry_bbox, geometry_contains, haversine_m

DATA = Path(__file__).resolve().parents[2] / "data"

SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [4, 6], [6, 6], [6, 4], [4, 4]],
    ],
}

TWO_SQUARES = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [
            [[5, 5], [8, 5], [8, 8], [5, 8], [5, 5]],
            [[6, 6], [7, 6], [7, 7], [6, 7], [6, 6]],
        ],
    ],
}


def load_kelurahan() -> tuple[dict[str, dict], dict[str, dict]]:
    with (DATA / "blitar_wilayah.csv").open(newline="", encoding="utf-8") as f:
        rows = {row["kode"]: row for row in csv.DictReader(f) if row["level"] == "kelurahan"}
    with (DATA / "blitar_wilayah.geojson").open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    polygons = {
        feature["properties"]["kode"]: feature["geometry"]
        for feature in features
        if feature["properties"]["level"] == "kelurahan"
    }
    return rows, polygons


def test_point_in_the_solid_part_of_a_square_with_a_hole_is_inside() -> None:
    assert geometry_contains(SQUARE_WITH_HOLE, 2, 2)
    assert geometry_contains(SQUARE_WITH_HOLE, 9.5, 5)


def test_point_in_the_hole_is_outside() -> None:
    assert not geometry_contains(SQUARE_WITH_HOLE, 5, 5)


def test_point_beyond_the_square_is_outside() -> None:
    assert not geometry_contains(SQUARE_WITH_HOLE, 11, 5)
    assert not geometry_contains(SQUARE_WITH_HOLE, 5, -1)


def test_multipolygon_contains_points_of_each_part_but_not_their_holes_or_gaps() -> None:
    assert geometry_contains(TWO_SQUARES, 0.5, 0.5)
    assert geometry_contains(TWO_SQUARES, 5.5, 7.5)
    assert not geometry_contains(TWO_SQUARES, 6.5, 6.5)
    assert not geometry_contains(TWO_SQUARES, 3, 3)


def test_ring_orientation_and_a_missing_closing_position_do_not_matter() -> None:
    clockwise_open = {"type": "Polygon", "coordinates": [[[0, 0], [0, 10], [10, 10], [10, 0]]]}
    assert geometry_contains(clockwise_open, 5, 5)
    assert not geometry_contains(clockwise_open, 15, 5)


def test_other_geometry_types_are_refused() -> None:
    with pytest.raises(ValueError):
        geometry_contains({"type": "Point", "coordinates": [0, 0]}, 0, 0)


def test_centroid_of_kelurahan_sentul_lies_in_sentul_only() -> None:
    rows, polygons = load_kelurahan()
    sentul = rows["35.72.01.1003"]
    assert sentul["nama"] == "Sentul"
    lon, lat = float(sentul["lng_centroid"]), float(sentul["lat_centroid"])
    inside = [kode for kode, geometry in polygons.items() if geometry_contains(geometry, lon, lat)]
    assert inside == ["35.72.01.1003"]


def test_every_kelurahan_centroid_lies_in_its_own_polygon() -> None:
    rows, polygons = load_kelurahan()
    assert len(rows) == len(polygons) == 21
    for kode, row in rows.items():
        assert geometry_contains(
            polygons[kode], float(row["lng_centroid"]), float(row["lat_centroid"])
        ), row["nama"]


def test_bbox_of_a_polygon_and_a_multipolygon() -> None:
    assert geometry_bbox(SQUARE_WITH_HOLE) == (0, 0, 10, 10)
    assert geometry_bbox(TWO_SQUARES) == (0, 0, 8, 8)


def test_bbox_of_kota_blitar_surrounds_its_centroid() -> None:
    with (DATA / "blitar_wilayah.geojson").open(encoding="utf-8") as f:
        kota = json.load(f)["features"][0]
    min_lon, min_lat, max_lon, max_lat = geometry_bbox(kota["geometry"])
    assert min_lon < 112.167 < max_lon
    assert min_lat < -8.0948 < max_lat
    assert max_lon - min_lon < 0.1


def test_bbox_of_a_point() -> None:
    assert geometry_bbox({"type": "Point", "coordinates": [112.1, -8.1]}) == (
        112.1,
        -8.1,
        112.1,
        -8.1,
    )


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert haversine_m(0, 0, 1, 0) == pytest.approx(math.pi / 180 * EARTH_RADIUS_M)
    assert haversine_m(-8, 112, -9, 112) == pytest.approx(111_195, abs=1)


def test_short_distance_in_blitar_matches_the_flat_earth_approximation() -> None:
    # Centroids of Kelurahan Sentul and Kelurahan Gedog (blitar_wilayah.csv), ~1.7 km apart;
    # over such distances the equirectangular formula is accurate to far below 0.1 %.
    lat1, lon1, lat2, lon2 = -8.075304, 112.18493, -8.089712, 112.190231
    dx = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    dy = math.radians(lat2 - lat1)
    flat = EARTH_RADIUS_M * math.hypot(dx, dy)
    assert haversine_m(lat1, lon1, lat2, lon2) == pytest.approx(flat, rel=1e-4)
    assert 1_500 < flat < 2_000


def test_antipodes_are_half_the_circumference_apart() -> None:
    assert haversine_m(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_M)


coordinates = st.tuples(st.floats(-90, 90), st.floats(-180, 180))


@given(coordinates, coordinates)
def test_distance_is_symmetric_and_non_negative(a, b) -> None:
    assert haversine_m(*a, *b) == pytest.approx(haversine_m(*b, *a), abs=1e-6)
    assert haversine_m(*a, *b) >= 0
    assert haversine_m(*a, *a) == 0
