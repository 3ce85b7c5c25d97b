"""The one body of an analysis command (smartspec.cli.options.analysis_command)."""
from __future__ import annotations

import re


def test_ranges_are_checked_before_the_data_load(smartspec_cli, tmp_path):
    # a data directory that does not exist: the range error must come first
    code, out = smartspec_cli("niches", "ITC4", "--top", "0", "--data-dir", tmp_path / "nowhere")
    assert code == 2 and "--top 0 is out of range" in out and "use a value from 1 to 200" in out


def test_shared_options_follow_the_command_s_own_in_one_order(smartspec_cli):
    code, out = smartspec_cli("network", "--help")
    assert code == 0
    names = re.findall(r"(--[a-z][a-z-]*)", out)
    shared = [n for n in names if n in ("--ecosystem", "--dataset", "--year", "--profile", "--output", "--data-dir")]
    assert shared == ["--ecosystem", "--dataset", "--year", "--profile", "--output", "--data-dir"]
    # network declares its own --year (its default differs): it stands once, where the shared one would
    assert names.count("--year") == 1 and "members" in out


def test_output_is_written_from_what_the_body_returns(smartspec_cli, sbs, data_dir, tmp_path):
    import pandas as pd

    path = tmp_path / "peers.csv"
    code, out = smartspec_cli("peers", "DE11", "--top", "4", "-o", path, "--data-dir", data_dir)
    assert code == 0, out
    table = pd.read_csv(path)
    assert len(table) == 4 and "DE11" not in set(table["region"]) and f"wrote 4 rows to {path}" in " ".join(out.split())
