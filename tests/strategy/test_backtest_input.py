"""`smartspec backtest --input FILE`: the out-of-time backtest on a user's own panel, with the
predictor shown chosen on the validation transition (issue 10, point 5)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SMARTSPEC = str(Path(sys.executable).with_name("smartspec"))


@pytest.fixture(scope="module")
def user_table(sbs, tmp_path_factory) -> Path:
    """The SBS panel 2008-2014 written as a user's CSV with their own column names."""
    df = sbs.panel.to_frame()
    df = df[df["year"] <= 2014].rename(columns={"region": "nuts", "activity": "nace", "value": "emp"})
    path = tmp_path_factory.mktemp("user") / "employment.csv"
    df.to_csv(path, index=False)
    return path


def _run(*args):
    return subprocess.run([SMARTSPEC, "backtest", *map(str, args)], capture_output=True, text=True, timeout=600)


def test_backtest_of_a_user_panel_keeps_the_json_shape_and_chooses_on_validation(user_table, tmp_path):
    out = tmp_path / "bt.json"
    r = _run("--input", user_table, "--region", "nuts", "--activity", "nace", "--value", "emp", "--json", out)
    assert r.returncode == 0, r.stderr
    d = json.loads(out.read_text())
    for key in ("dataset", "test", "train", "validation", "winner", "strongest_baseline", "chosen_on", "verdict",
                "predictors"):
        assert key in d, key
    assert d["dataset"] == "employment.csv" and d["test"] == "2013 -> 2014" and d["chosen_on"] == "validation"
    assert "2013 -> 2014" not in d["validation"]  # the test period plays no part in the choice
    # the predictor shown is the one with the best average precision on validation (random excluded)
    meta = {p["predictor"]: p for p in d["predictors"]}
    assert set(meta) >= {"model", "logistic", "rca", "density", "random"}
    text = r.stdout
    assert "chosen on the validation transition 2012 -> 2013" in " ".join(text.split())


def test_backtest_of_a_user_panel_with_persistence(user_table, tmp_path):
    r = _run("--input", user_table, "--region", "nuts", "--activity", "nace", "--value", "emp", "--persistence")
    assert r.returncode == 0, r.stderr
    assert "held-out test period 2012 -> 2014" in " ".join(r.stdout.split())


def test_backtest_needs_enough_years(user_table, tmp_path):
    import pandas as pd

    short = tmp_path / "short.csv"
    df = pd.read_csv(user_table)
    df[df["year"] >= 2012].to_csv(short, index=False)
    r = _run("--input", short, "--region", "nuts", "--activity", "nace", "--value", "emp")
    assert r.returncode == 2 and "needs at least 4 years with data, the panel has 3" in r.stderr
    r = _run("--input", short, "--region", "reg", "--activity", "nace", "--value", "emp")
    assert r.returncode == 2 and "reg" in r.stderr
