"""Start-up of the command line (issue 13, defect 11): ``--help`` imports no numerical stack.

Checked with ``python -X importtime`` in a fresh interpreter, which lists every module the
process imported; the time itself is a benchmark figure (benchmarks/bench_cli.py), not a test.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ("pandas", "scipy", "sklearn", "numpy", "pyarrow", "duckdb")


def imported_modules(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "100"}
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "smartspec.cli", *args],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    names = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert "smartspec.cli" in names  # the listing is real
    return names


@pytest.mark.parametrize("args", [("--help",), ("opportunities", "--help"), ("data", "--help")])
def test_help_imports_no_numerical_library(args):
    names = imported_modules(*args)
    heavy = sorted(n for n in names if n.split(".")[0] in HEAVY)
    assert heavy == [], f"`smartspec {' '.join(args)}` imported {heavy[:10]}"
    # every command is still registered
    assert {"smartspec.cli.strategy_cmds", "smartspec.cli.partners_cmds", "smartspec.cli.web_cmds"} <= names


def test_top_level_names_still_load_on_use():
    code = ("import smartspec, sys; assert 'pandas' not in sys.modules; "
            "from smartspec import measures as f; import smartspec.measure_table as m; "
            "import pandas as pd; df = pd.DataFrame({'region': list('aabb'), 'activity': list('xyxy'), "
            "'value': [3.0, 1.0, 1.0, 3.0]}); out = f(df); print(len(out), f is m.measures, smartspec.Panel.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["4", "True", "Panel"]


def test_cli_app_imports_no_heavy_library():
    """The Typer app and its helpers load without the numerical, web or plotting stacks."""
    code = ("import sys, smartspec.cli.app; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'scipy', 'pandas', 'fastapi', 'plotly', 'numpy', 'sklearn'})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == ""


def test_strategy_names_load_on_use():
    """``import smartspec.strategy`` loads no submodule; each public name still resolves to its function."""
    code = ("import sys, smartspec.strategy as s; before = 'smartspec.strategy.forecast' in sys.modules; "
            "from smartspec.strategy import region_specialisations; "
            "after = 'smartspec.strategy.forecast' in sys.modules; "
            "from smartspec.strategy.forecast import backtest; "
            "print(before, after, s.backtest is backtest, sorted(s.__all__) == s.__all__, len(s.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False", "True", "True", "26"]


#: What a warm command on a named dataset never needs: the results store, the web, the view
#: models, the organisation registry, plots and graphs, the entry model's training (its
#: probabilities are read from the results cache), scipy's linear algebra and graph packages
#: (the measures are cached: ~0.13 s) and pydantic (Typer 0.29 validates every parameter with
#: it: ~0.1 s, which is why Typer is pinned to 0.28).
NOT_WHEN_WARM = ("sklearn", "lightgbm", "igraph", "plotly", "jinja2", "duckdb", "fastapi", "uvicorn", "openpyxl",
                 "pydantic", "scipy.linalg", "scipy.sparse.linalg", "scipy.sparse.csgraph", "scipy.stats",
                 "smartspec.store", "smartspec.views.models", "smartspec.web", "smartspec.report", "smartspec.match")
#: ``profile`` needs neither measures nor their orientation.
NOT_FOR_PROFILE = ("smartspec.measure_table", "smartspec.data.orientation", "smartspec.strategy.context")


@pytest.mark.slow
@pytest.mark.parametrize("args", [("profile", "ITC4"), ("opportunities", "ITC4"), ("peers", "ITC4")])
def test_a_warm_command_imports_only_what_it_needs(args):
    imported_modules(*args)  # warms the caches (the test run's own cache directory)
    names = imported_modules(*args)
    unwanted = NOT_WHEN_WARM + (NOT_FOR_PROFILE if args[0] == "profile" else ())
    loaded = sorted(n for n in names if any(n == u or n.startswith(u + ".") for u in unwanted))
    assert loaded == [], f"a warm `smartspec {' '.join(args)}` imported {loaded[:10]}"
    assert "pandas" in names  # the listing is of a run that did the work


def test_view_sentences_load_without_the_view_models():
    """The CLI words its sentences with views.text and views.partners_text; the view functions
    load on first use and keep their names even where a module has the same name."""
    code = ("import sys, types; import smartspec.views.partners_text, smartspec.views.text; "
            "light = not {'pydantic', 'smartspec.store', 'smartspec.views.models'} & set(sys.modules); "
            "from smartspec import views; import smartspec.views.tables, smartspec.views.compare; "
            "from smartspec.views import tables; "
            "print(light, callable(views.tables), callable(views.compare), tables is views.tables, "
            "views.region_view.__module__, sorted(views.__all__) == views.__all__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True", "True", "True", "smartspec.views.region", "True"]
