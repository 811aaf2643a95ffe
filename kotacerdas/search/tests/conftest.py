import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The suggestion vocabulary is cached; each test starts without another test's words."""
    cache.clear()
    yield
    cache.clear()
