"""Process settings of the measures: BLAS threads and glibc's heap (smartspec._runtime)."""
import os
import subprocess
import sys

import pytest

from smartspec import _runtime


def _run(code: str, **env) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **env})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_blas_limit_covers_scipys_library_too():
    """Built before scipy.linalg is imported, a controller would limit numpy's BLAS only, and each
    year-thread's scipy routine would start BLAS threads of its own."""
    code = ("from smartspec._runtime import _blas_controller\n"
            "libs = {l.filepath for l in _blas_controller().select(user_api='blas').lib_controllers}\n"
            "print(any('scipy.libs' in p for p in libs), any('numpy.libs' in p for p in libs))")
    assert _run(code) == "True True"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_freed_memory_is_kept_for_reuse():
    """A second round of allocations of the same sizes faults no new pages in."""
    code = ("import resource, numpy as np\n"
            "from smartspec._runtime import keep_freed_memory\n"
            "print(keep_freed_memory())\n"
            "def work():\n"
            "    for _ in range(20):\n"
            "        a = np.ones((300, 600)); b = a * 2.0; del a, b\n"
            "work()\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
            "work()\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)\n")
    kept, faults = _run(code).splitlines()
    assert kept == "True" and int(faults) < 50
    off, faults_off = _run(code, **{_runtime.KEEP_FREED_MEMORY_ENV: "0"}).splitlines()
    # glibc's defaults: each 1.4 MB array is unmapped when freed and faulted in again
    assert off == "False" and int(faults_off) > 1000
