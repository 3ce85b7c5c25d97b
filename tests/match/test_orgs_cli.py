"""`smartspec orgs build|search`, `smartspec org ID` and `smartspec ri` through the console script."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SMARTSPEC = Path(sys.executable).with_name("smartspec")


def run(*args):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([str(SMARTSPEC), *map(str, args)], capture_output=True, text=True, env=env, timeout=300)


def test_orgs_build_prints_coverage(registry):
    out = run("orgs", "build")
    assert out.returncode == 0, out.stderr
    assert "35,871 organisations, 144,726 H2020 participations" in out.stdout
    for word in ("cordis_nuts", "city_lau", "city_fuzzy", "no_address", "country_outside_nuts", "city_not_found"):
        assert word in out.stdout
    total = next(line for line in out.stdout.splitlines() if line.strip().startswith("total"))
    assert "35871" in total and "144726" in total


def test_search_profile_and_unknown_id(registry):
    s = run("orgs", "search", "milano", "--region", "ITC4", "--type", "university")
    assert s.returncode == 0 and "POLITECNICO DI MILANO" in s.stdout and "BICOCCA" in s.stdout
    p = run("org", "999879881")
    assert p.returncode == 0 and "ITC4C / ITC4 (by city_lau" in p.stdout and "Top partners" in p.stdout
    bad = run("org", "123")
    assert bad.returncode == 2 and "unknown organisation '123'" in bad.stderr and "orgs search" in bad.stderr
    assert "Traceback" not in bad.stderr
    bad_type = run("orgs", "search", "x", "--type", "banana")
    assert bad_type.returncode == 2 and "unknown organisation type 'banana'" in bad_type.stderr


def test_network_command_names_brokers_and_communities(registry):
    out = run("orgs", "network", "ES51", "--top", "5")
    assert out.returncode == 0, out.stderr
    assert "ES51 in the H2020 collaboration network: 35,871 organisations" in out.stdout
    brokers = out.stdout.split("Brokers")[1].split("Communities")[0]
    assert "UNIVERSITAT POLITECNICA DE CATALUNYA" in brokers and " of 35,871" in brokers
    communities = out.stdout.split("Communities of the region's organisations")[1].split("Links outside")[0]
    assert "leading_member" in communities and "leading_country" in communities  # a community is named, with its country
    assert "Links to other regions" in out.stdout and "ES51 " not in out.stdout.split("Links to other regions")[1]
    bad = run("orgs", "network", "XX99")
    assert bad.returncode == 2 and "unknown region 'XX99'" in bad.stderr and "Traceback" not in bad.stderr


def test_ri_command_prints_euros_in_whole_numbers(registry, tmp_path):
    """The programme-part table printed EUR 166264045.810 beside the leaders' 24,106,608."""
    import re

    import pandas as pd

    out = run("ri", "ES51", "-o", tmp_path / "ri.csv")
    assert out.returncode == 0, out.stderr
    assert "R&I lens of ES51" in out.stdout
    row = next(line for line in out.stdout.splitlines() if line.strip().startswith("SC1 "))
    assert re.search(r"\b\d{1,3}(,\d{3}){2,}\b", row) and not re.search(r"\d{4,}\.\d", row), row
    written = pd.read_csv(tmp_path / "ri.csv")
    assert (written["ec_contribution"] % 1 != 0).any()  # the file keeps the cents
