"""The import's garbage-collector pause: nested pauses and a collector that was off."""

import gc
from collections.abc import Iterator

import pytest

from signals.services.gc_pause import paused_gc


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_last_of_nested_pauses_re_enables_the_collector(collector_on: None) -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer import is still running
    assert gc.isenabled()


def test_an_error_inside_still_re_enables_it(collector_on: None) -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("bad row")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on: None) -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()
    gc.enable()
