"""Finding regions and activities by code or name: the matcher, the NUTS names, the error hint, and
`smartspec regions` / `smartspec activities` through the installed console script."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from smartspec.data import nuts
from smartspec.data.names import match_names
from smartspec.errors import UnknownNameError

SMARTSPEC = Path(sys.executable).with_name("smartspec")


def run(*args):
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([str(SMARTSPEC), *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


def test_match_names_scores_and_order():
    names = pd.DataFrame({"code": ["ITC1", "ITC4", "ITC4", "DE21", "DE22"],
                          "name": ["Piemonte", "Lombardia", "Lombardy", "Oberbayern", "Niederbayern"]})
    assert match_names(names, "itc").to_dict("list") == {"code": ["ITC1", "ITC4"], "name": ["Piemonte", "Lombardia"],
                                                       "score": [0, 0]}
    hit = match_names(names, "LOMBARDY")
    assert hit["code"].tolist() == ["ITC4"] and hit["name"].tolist() == ["Lombardy"] and hit["score"].tolist() == [1]
    # "bayern" starts no name and is inside two: both, ordered by name
    assert match_names(names, "bayern")["code"].tolist() == ["DE22", "DE21"]
    assert match_names(names, "Ober-Bayern")["code"].tolist() == ["DE21"]  # punctuation and case ignored
    assert match_names(names, "bayern", limit=1)["code"].tolist() == ["DE22"]
    assert match_names(names, " - ").empty and match_names(names, "xyz").empty


def test_region_names_every_language(data_dir):
    names = nuts.region_names(["ITC4", "DE21", "ITA"], data_dir)
    assert {"Lombardia", "Lombardy"} <= set(names[names["code"] == "ITC4"]["name"])
    assert {"Oberbayern", "Upper Bavaria"} <= set(names[names["code"] == "DE21"]["name"])
    assert "ITA" not in set(names["code"])  # not a NUTS code
    assert not names.duplicated().any()


def test_unknown_name_hint_lists_few_and_points_to_the_finder():
    few = UnknownNameError("ecosystem", "Spaceships", ["Nutrition", "Sustainability", "Nutrition"])
    assert few.fix == "valid ecosystem names: Nutrition, Sustainability"
    many = UnknownNameError("region", "XX99", [f"Name{i}" for i in range(100)])
    assert "100 valid names" in many.fix and "smartspec regions QUERY" in many.fix
    assert UnknownNameError("activity", "C99", ["C29", "C19", "C20"]).suggestions[:2] == ["C29", "C19"]


def test_regions_command(data_dir):
    r = run("regions", "bavaria", "--data-dir", data_dir)
    assert r.returncode == 0, r.stderr
    assert "DE21" in r.stdout and "Upper Bavaria" in r.stdout and "Oberbayern" in r.stdout and "ITC4" not in r.stdout
    r = run("regions", "ITC", "--data-dir", data_dir)
    lines = [line.split()[0] for line in r.stdout.splitlines() if line.strip().startswith("ITC")]
    assert lines == ["ITC1", "ITC2", "ITC3", "ITC4"]
    everything = run("regions", "--data-dir", data_dir)
    assert everything.returncode == 0 and "272 region(s) of eurostat-sbs" in everything.stdout
    assert "UKN0" in everything.stdout  # the whole list, not cut
    r = run("regions", "xyzzy", "--data-dir", data_dir)
    assert r.returncode == 2 and "no region of eurostat-sbs matches 'xyzzy'" in r.stderr
    assert "Traceback" not in r.stderr
    r = run("regions", "ital", "--dataset", "patents-wipo35", "--data-dir", data_dir)
    assert r.returncode == 0 and "ITA" in r.stdout and "Italy" in r.stdout


@pytest.mark.parametrize("query,code", [("textil", "C13"), ("C30", "C30"), ("computer programming", "J62")])
def test_activities_command(data_dir, query, code):
    r = run("activities", query, "--data-dir", data_dir)
    assert r.returncode == 0, r.stderr
    assert code in r.stdout


def test_unknown_region_points_to_the_finder(data_dir):
    r = run("profile", "XX99", "--data-dir", data_dir)
    assert r.returncode == 2 and "smartspec regions QUERY" in r.stderr.replace("\n", " ")
