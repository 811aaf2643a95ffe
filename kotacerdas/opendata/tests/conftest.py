import pytest

from kotacerdas.agencies.models import Agency
from kotacerdas.conftest import make_staff


@pytest.fixture
def walidata(personas):
    """A verifier of Diskominfotik, the Walidata: reviews and publishes every OPD's data."""
    return make_staff("Wulan Walidata", "walidata@pemkot.test",
                      Agency.objects.get(code="diskominfotik"), "verifikator")
