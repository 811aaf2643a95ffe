import pytest

from kotacerdas.regions.queries import forget_boundaries


@pytest.fixture(autouse=True)
def _fresh_boundary_cache():
    # `locate` caches kelurahan boundaries with their primary keys; the rows vanish when a
    # test's transaction rolls back, the cache would not.
    forget_boundaries()
    yield
    forget_boundaries()
