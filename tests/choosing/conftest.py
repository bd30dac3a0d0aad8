import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Reasons are asserted in English (the msgids); the app's default language is Swedish."""
    with translation.override("en"):
        yield
