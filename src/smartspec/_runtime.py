"""How the measures use the machine: BLAS threads and the C heap.

- :func:`single_thread_blas`: one BLAS thread per call inside a block, so that the years computed
  side by side in two threads do not each start two more (four threads on two cores are slower
  than one).
- :func:`keep_freed_memory`: glibc's malloc keeps freed memory in the process for the next
  allocation instead of returning it to the system at once. A year of 300 regions x 600
  activities allocates a few dozen arrays of 1-3 MB; with glibc's defaults each is unmapped when
  freed and faulted in again, page by page, when the next one is allocated: 20,000 page faults
  for 10 years, 45-75 ms of system time, and the two year-threads queue on the kernel's memory
  lock (190 ms instead of 127 ms for the 10 years, same results). Numerical libraries with their
  own allocators (Arrow's memory pool, PyTorch's caching allocator) keep freed memory the same way.
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import os

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: Arrays up to this size come from the heap (glibc's own upper limit for the threshold) ...
_HEAP_ARRAYS = 32 * 2**20
#: ... and up to this much freed memory is kept at the top of the heap before it is returned.
_KEEP = 256 * 2**20
#: Set to 0 to leave glibc's defaults alone.
KEEP_FREED_MEMORY_ENV = "SMARTSPEC_KEEP_FREED_MEMORY"


@functools.lru_cache(maxsize=1)
def _blas_controller():
    """The BLAS libraries loaded (numpy's and scipy's), found once: looking them up costs ~8 ms,
    as much as a year's measures on 300 regions x 600 activities.

    scipy's LAPACK (its own OpenBLAS, loaded with ``scipy.linalg``) is imported first: a controller
    built before it is loaded limits numpy's BLAS only, and a scipy routine in each year-thread then
    starts two BLAS threads of its own (four threads on two cores: the 10 years of a 300 x 600 panel
    took 260 ms instead of 178 ms)."""
    import scipy.linalg  # noqa: F401 - loaded for its BLAS, see above

    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return None
    return ThreadpoolController()


@contextlib.contextmanager
def single_thread_blas():
    """Limit every loaded BLAS to one thread inside the block."""
    controller = _blas_controller()
    if controller is None:  # pragma: no cover
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield


@functools.lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Let glibc keep freed memory for reuse (see the module docstring), once per process.

    The process then holds on to up to 256 MB of freed memory between computations instead of
    returning it at once; ``SMARTSPEC_KEEP_FREED_MEMORY=0`` in the environment leaves glibc's
    defaults. Returns whether the setting was made (False elsewhere than glibc).
    """
    if os.environ.get(KEEP_FREED_MEMORY_ENV, "1") == "0":
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc (musl, macOS)
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _HEAP_ARRAYS)) and bool(mallopt(_M_TRIM_THRESHOLD, _KEEP))
