import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib.stemmer import index_terms, stem, variants


@pytest.mark.parametrize(("word", "root"), [
    ("perizinan", "izin"), ("izin", "izin"), ("pelayanan", "layan"), ("layanan", "layan"),
    ("kependudukan", "duduk"), ("penduduk", "duduk"), ("pendidikan", "didik"),
    ("dilaksanakan", "laksana"), ("pelaksanaan", "laksana"), ("kesehatan", "sehat"),
    ("perdagangan", "dagang"), ("permohonan", "mohon"), ("menulis", "tulis"), ("penulis", "tulis"),
    ("membaca", "baca"), ("pembaca", "baca"), ("penyakit", "sakit"), ("terdekat", "dekat"),
    ("pembangunan", "bangun"), ("bangunan", "bangun"), ("makanan", "makan"),
])
def test_common_words_reach_their_root(word, root):
    assert stem(word) == root


@pytest.mark.parametrize("word", ["jalan", "makan", "data", "wifi", "sampah", "internet"])
def test_short_or_bare_words_stay_whole(word):
    assert stem(word) == word


@pytest.mark.parametrize(("derived", "root"), [
    ("perumahan", "rumah"), ("pemohon", "mohon"), ("sekolah", "sekolah"), ("berita", "berita"),
    ("pengaduan", "mengadu"),
])
def test_ambiguous_words_keep_every_reading(derived, root):
    """Without a dictionary per+umah and pe+rumah look alike: both readings are indexed, so
    a search for the root finds the derived word."""
    assert set(variants(root)) & set(variants(derived))


def test_index_terms_hold_the_words_and_their_stems():
    terms = index_terms("Pelayanan perizinan di Kelurahan Sentul")
    assert {"layan", "izin", "lurah", "sentul", "pelayanan"} <= terms


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=30))
def test_any_word_gives_non_empty_variants_ending_with_itself(word):
    found = variants(word)
    assert found and found[-1] == word and all(found)
