"""The Solr-style q/fq reader: what lands in SearchFilters, what becomes an extra
condition, and what is refused (reference/ckan.md §3.3)."""

from datetime import UTC, datetime

import pytest

from kotacerdas.opendata.ckan import fq
from kotacerdas.opendata.ckan.errors import SearchQueryError


def test_harvester_query_from_its_config():
    query = ("organization:dinas-kesehatan OR organization:bappeda -groups:arsip "
             "metadata_modified:[2025-05-01T09:00:00.123456Z TO *]")
    parsed = fq.parse("", [query])
    assert parsed.filters.organizations == ["dinas-kesehatan", "bappeda"]
    assert parsed.filters.modified_from == datetime(2025, 5, 1, 9, 0, 0, 123456, tzinfo=UTC)
    assert parsed.filters.modified_to is None
    assert len(parsed.extra) == 1  # the negated group


def test_words_and_phrases_are_text():
    parsed = fq.parse('penduduk "kota blitar"', [])
    assert parsed.filters.text == "penduduk kota blitar"


def test_match_all_is_nothing():
    parsed = fq.parse("*:*", [""])
    assert parsed.filters == fq.SearchFilters()
    assert parsed.extra == []


def test_fielded_q_like_ckanapis_readme():
    parsed = fq.parse("+organization:sample-organization +res_format:GeoJSON +tags:geojson", [])
    assert parsed.filters.organizations == ["sample-organization"]
    assert parsed.filters.formats == ["GeoJSON"]
    assert parsed.filters.tags == ["geojson"]


def test_quoted_and_grouped_values():
    parsed = fq.parse("", ['tags:"air bersih"', "groups:(smart-society OR smart-economy)"])
    assert parsed.filters.tags == ["air bersih"]
    assert parsed.filters.groups == []
    assert len(parsed.extra) == 1


def test_parenthesised_or_of_one_field():
    parsed = fq.parse("", ["(organization:a OR organization:b) tags:x"])
    assert parsed.filters.organizations == ["a", "b"]
    assert parsed.filters.tags == ["x"]


def test_second_term_of_a_field_becomes_an_extra_condition():
    parsed = fq.parse("", ["res_format:CSV res_format:JSON organization:a organization:b"])
    assert parsed.filters.formats == ["CSV"]
    assert parsed.filters.organizations == ["a"]
    assert len(parsed.extra) == 2


def test_escaped_characters():
    parsed = fq.parse("", [r"metadata_modified:[2025-05-01T09\:00\:00Z TO *]"])
    assert parsed.filters.modified_from == datetime(2025, 5, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize(("bound", "expected"), [
    ("2025-05-01T09:00:00Z", datetime(2025, 5, 1, 9, tzinfo=UTC)),
    ("2025-05-01T09:00:00", datetime(2025, 5, 1, 9, tzinfo=UTC)),  # naive is UTC, as CKAN stores it
    ("2025-05-01", datetime(2025, 5, 1, tzinfo=UTC)),
    ("2025-05-01T16:00:00+07:00", datetime(2025, 5, 1, 9, tzinfo=UTC)),
])
def test_date_bounds(bound, expected):
    assert fq.parse("", [f"metadata_created:[{bound} TO *]"]).filters.created_from == expected


def test_now_arithmetic():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fq.timezone, "now", lambda: datetime(2026, 5, 10, 13, 30, tzinfo=UTC))
        parsed = fq.parse("", ["metadata_modified:[NOW-7DAYS TO NOW/DAY]"])
    assert parsed.filters.modified_from == datetime(2026, 5, 3, 13, 30, tzinfo=UTC)
    assert parsed.filters.modified_to == datetime(2026, 5, 10, tzinfo=UTC)


@pytest.mark.parametrize("query", [
    "author:budi",
    "organization:a OR tags:b",
    "-organization:a OR organization:b",
    "metadata_modified:2025-01-01",
    "metadata_modified:[2025-01-01 TO]",
    "metadata_modified:[kemarin TO *]",
    "tags:[a TO b]",
    "(tags:a",
    "tags:a)",
    "tags:a OR",
    "NOT",
    "name:(a AND b)",
    "(tags:a tags:b)",
    "-(tags:a OR tags:b)",
    "capacity:semua",
    "state:purged",
    "*:penduduk",
    "-tags:*",
])
def test_unsupported_queries_are_refused(query):
    with pytest.raises(SearchQueryError):
        fq.parse("", [query])


def test_not_negates():
    parsed = fq.parse("", ["NOT tags:a"])
    assert parsed.filters.tags == []
    assert len(parsed.extra) == 1
