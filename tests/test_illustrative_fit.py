"""The demo's league curve (etl.illustrative._fit): published figures kept exactly, every other value strictly
below the one ranked above it (0.01 apart at least), within floor … 100, and the published mean hit to 2 decimals."""
from __future__ import annotations

import numpy as np
import pytest

from etl.illustrative import _fit


@pytest.mark.parametrize("mean", [None, 70.0, 75.55])
def test_the_curve_keeps_pins_order_bounds_and_mean(mean):
    # decreasing as etl.illustrative._curve draws it, with a tie and a value above the pin below it
    raw = np.array([96.0, 95.0, 91.0, 90.0, 80.0, 80.0, 70.0, 60.0, 58.0, 57.0])
    pins = {1: 94.1234, 5: 77.5}                                                 # ranks 1 and 5, as printed
    c = _fit(raw, pins, mean, floor=55.0)
    assert c[0] == 94.1234 and c[4] == 77.5
    assert all(np.round(c[i] - c[i + 1], 2) >= 0.01 for i in range(len(c) - 1))
    assert c.min() >= 55.0 and c.max() <= 100.0         # (values clipped to the floor and tied there are then
    #                                                     spread below it, 0.01 apart: the floor is soft)
    if mean is not None:
        assert round(c.mean(), 2) == round(mean, 2)
    assert raw[2] == 91.0                                                        # the input is not changed


def test_without_room_the_mean_is_not_forced():
    """Every slot pinned but one, with no room between its neighbours: the order wins over the mean."""
    c = _fit(np.array([90.0, 80.0, 70.0]), {1: 90.0, 3: 89.98}, mean=60.0, floor=55.0)
    assert list(c) == [90.0, 89.99, 89.98]
