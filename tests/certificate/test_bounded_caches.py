"""The reader's caches keyed by what a code says stay bounded: a batch of hostile codes, each
naming another airport or time zone offset, cannot grow the verifier's memory without end."""

from __future__ import annotations

from importlib import import_module
from itertools import product
from string import ascii_uppercase

from itdeclare.models import reference

# The module, not the function ``claim.decode`` the package names after it.
decode = import_module("itdeclare.certificate.claim.decode")


def test_made_up_airports_and_offsets_do_not_grow_the_caches() -> None:
    codes = ["".join(letters) for letters in product(ascii_uppercase, repeat=3)][:5000]
    for code in codes:
        decode._airport_zone(code)
    for minutes in range(-1439, 1440):  # every offset a zone may have, to the minute
        decode._zone(minutes)
        decode._offset_text(minutes * 60)
    assert decode._airport_zone.cache_info().currsize <= decode._SEEN_AIRPORTS
    assert reference.airport_alone.cache_info().currsize <= decode._SEEN_AIRPORTS
    assert decode._zone.cache_info().currsize <= decode._SEEN_OFFSETS
    assert decode._offset_text.cache_info().currsize <= decode._SEEN_OFFSETS
    # A real airport is still found after the churn.
    assert decode._airport_zone("PVG") is not None
