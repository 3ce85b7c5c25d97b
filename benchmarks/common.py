"""Helpers shared by the benchmark scripts (imported as a sibling module: the scripts run as files)."""
from __future__ import annotations

import time


def best_of(fn, n=3, reset=None):
    """Run ``fn`` ``n`` times (calling ``reset`` untimed before each run); -> (fastest seconds, last result)."""
    times = []
    for _ in range(n):
        if reset:
            reset()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def nuts2_regions(analysis) -> list[str]:
    """The NUTS 2 regions of an analysis's panel, in panel order."""
    meta = analysis.panel.region_meta
    return [r for r in analysis.panel.regions if meta.loc[r, "level"] == 2]


def every_region(fn, regions) -> int:
    """Call ``fn(region)`` for each region; -> how many ran without a SmartspecError (the others are skipped)."""
    from smartspec.errors import SmartspecError

    ok = 0
    for r in regions:
        try:
            fn(r)
            ok += 1
        except SmartspecError:
            pass
    return ok
