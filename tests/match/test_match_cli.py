"""`smartspec match` through the console script: ranking, consortium, files, bad input."""
from __future__ import annotations

import json

from .test_orgs_cli import run


def test_match_prints_ranking_with_reasons_and_writes_files(registry, tmp_path):
    out = run("match", "additive manufacturing for aerospace components", "--region", "ITC4", "-k", "5",
              "-o", tmp_path / "m.json")
    assert out.returncode == 0, out.stderr
    assert "POLITECNICO DI MILANO" in out.stdout and "ERC grants: 22 hosted, on" in out.stdout
    assert "with specific evidence (name, sector, ERC grants)" in out.stdout
    data = json.loads((tmp_path / "m.json").read_text())
    assert len(data["organisations"]) == 5 and all(len(o["reasons"]) >= 2 for o in data["organisations"])
    # --top, as in every other command (-k above is its short form)
    csv = run("match", "manifattura additiva per componenti aerospaziali", "--region", "ITC4", "--lang", "it",
              "--top", "7", "-o", tmp_path / "m.csv")
    assert csv.returncode == 0 and "manifattura additiva -> additive manufacturing" in csv.stdout
    assert "grant ERC" in (tmp_path / "m.csv").read_text()
    assert len((tmp_path / "m.csv").read_text().splitlines()) == 1 + 7


def test_match_consortium_json(registry):
    out = run("match", "additive manufacturing for aerospace components", "--region", "ITC4", "--consortium", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert all(data["rules"].values()) and data["links"]
    assert {"firm"} <= {m["type"] for m in data["members"]}
    # the free places of the team go to organisations with specific evidence only
    for m in data["members"]:
        assert m["evidence"] == "specific" or m["fills"], m["name"]
    assert not any("EURESCOM" in m["name"] for m in data["members"])


def test_match_bad_inputs_exit_2(registry):
    for args, words in [(("   ",), "the challenge is empty"), (("qwzxv blorptak",), "no term of the challenge"),
                        (("robotics", "--region", "ZZ12"), "unknown region 'ZZ12'"),
                        (("robotics", "--type", "banana"), "unknown organisation type 'banana'"),
                        (("robotics", "--consortium"), "a consortium needs the region"),
                        ((), "give either a challenge or --opportunity REGION"),
                        (("robotics", "--opportunity", "ITC4"), "give either a challenge or --opportunity REGION"),
                        (("robotics", "--activity", "J62"), "--activity needs --opportunity REGION")]:
        out = run("match", *args)
        assert out.returncode == 2 and words in out.stderr, (args, out.stderr)
        assert "Traceback" not in out.stderr
