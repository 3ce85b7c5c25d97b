"""Issue 10: one list of opportunities and one complexity, whatever the interface.

The CLI, the REST API, the region page and every section of the report show the same ten
opportunities in the same order, and Lombardy's complexity has the same sign and rank in
``smartspec measures --dataset eurostat-sbs``, ``/api/region/ITC4``, the page and the report.
"""
from __future__ import annotations

import json
import re
import warnings

import httpx
import pandas as pd
import pytest

from smartspec.data.scope import activity_scope


@pytest.fixture(scope="module")
def api_itc4(server):
    r = httpx.get(f"{server}/api/region/ITC4", timeout=60)
    assert r.status_code == 200
    return r.json()


@pytest.fixture(scope="module")
def report_html(store):
    from smartspec.report.render import render_html

    return render_html("ITC4", store, lang="en")


def _cli_json(smartspec_cli, tmp_path, data_dir, *args):
    path = tmp_path / "out.json"
    code, out = smartspec_cli(*args, "--json", str(path), "--data-dir", str(data_dir))
    assert code == 0, out
    return json.loads(path.read_text()), out


def test_same_ten_opportunities_everywhere(api_itc4, report_html, smartspec_cli, tmp_path, data_dir):
    payload, out = _cli_json(smartspec_cli, tmp_path, data_dir, "opportunities", "ITC4", "--top", "10")
    cli_ten = [r["activity"] for r in payload["opportunities"][:10]]
    api_ten = [o["activity"] for o in api_itc4["opportunities"][:10]]
    assert cli_ten == api_ten
    assert (activity_scope(cli_ten) == "traded").all()  # no restaurant, shop or builder among them
    # report: page 1 names the first five in order, the opportunities table lists the ten in order
    first = re.search(r"<li><b>What to target next[^<]*:</b>(.*?)</ul></li>", report_html, re.S).group(1)
    names = [o["name"] for o in api_itc4["opportunities"][:5]]
    positions = [first.find(n) for n in names]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    table = report_html.split("<h2>What to target next", 2)[-1]
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([A-Z]\d\d)</td>", table)[:10]
    assert [a for _, a in rows] == cli_ten and [int(r) for r, _ in rows] == list(range(1, 11))
    assert api_itc4["opportunities"][0]["score"] == pytest.approx(payload["opportunities"][0]["score"])


def test_lombardy_complexity_same_sign_and_rank(api_itc4, report_html, server, smartspec_cli, tmp_path, data_dir):
    out_file = tmp_path / "m.parquet"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code, out = smartspec_cli("measures", "--dataset", "eurostat-sbs", "-o", str(out_file),
                                  "--data-dir", str(data_dir))
    assert code == 0 and "Spearman" in out and "GDP per head" in out
    m = pd.read_parquet(out_file)
    eci = m[m["year"] == api_itc4["year"]].groupby("region")["eci"].first().dropna()
    rank = int((eci > eci["ITC4"]).sum() + 1)
    assert api_itc4["eci"] == pytest.approx(eci["ITC4"], abs=1e-9)
    assert api_itc4["eci_rank"] == rank and api_itc4["n_ranked"] == len(eci)
    assert api_itc4["eci_orientation"] == "gdp"
    # oriented by GDP per head, Lombardy's employment structure ranks it in the lower half
    assert eci["ITC4"] < 0 and rank > len(eci) / 2
    page = httpx.get(f"{server}/region/ITC4", timeout=60).text
    shown = f"{rank} / {len(eci)}"
    assert shown in page and shown in report_html
    assert f"{eci['ITC4']:.2f}" in page and f"{eci['ITC4']:.2f}" in report_html
    assert "GDP per head" in page and "GDP per head" in report_html


def test_catalonia_strengths_same_on_the_page_and_in_the_profile(server, smartspec_cli, tmp_path, data_dir):
    """The page once listed sewerage and building services among Catalonia's strengths and counted 32
    specialisations where `smartspec profile` counts 21 traded ones: one rule now, local ones apart."""
    out_file = tmp_path / "p.csv"
    code, out = smartspec_cli("profile", "ES51", "-o", str(out_file), "--data-dir", str(data_dir))
    assert code == 0, out
    prof = pd.read_csv(out_file, dtype={"activity": str})
    api = httpx.get(f"{server}/api/region/ES51", timeout=60).json()
    shown = [s["activity"] for s in api["specialisations"]]
    assert (activity_scope(shown) == "traded").all()
    assert shown[:10] == prof.sort_values("rank")["activity"].head(10).tolist()
    assert api["n_specialised"] == int(prof["specialised"].sum()) == 21
    local = [s.split()[0] for s in api["local_strengths"]]
    assert {"E37", "N81"} <= set(local) and (activity_scope(local) == "local").all()
    page = httpx.get(f"{server}/region/ES51", timeout=60).text
    assert "Specialisations (traded activities)" in page and "Sewerage" in page.split('id="local-strengths"')[1]
    spec_table = page.split('id="spec-table"')[1].split("</table>")[0]
    assert "Sewerage" not in spec_table and "Manufacture of basic pharmaceutical" in spec_table


@pytest.mark.parametrize("region", ["ES51", "DE11"])
def test_the_page_says_what_ranks_its_opportunities_and_shows_the_score(server, region):
    """The page said "Ranked by: estimated probability of specialising" above a list ranked by the
    balanced score (Catalonia: 12.9%, 11.9%, then 23.8% third)."""
    api = httpx.get(f"{server}/api/region/{region}", timeout=60).json()["opportunities"][:15]
    page = httpx.get(f"{server}/region/{region}", timeout=60).text
    section = page.split('id="opp-table"', 1)[1].split("</table>", 1)[0]
    assert "<th>Score</th>" in section
    shown = [float(x) for x in re.findall(r'</td><td class="num">([01]\.\d\d)</td><td><span class="q', section)]
    assert shown == [round(o["score"], 2) for o in api] and shown == sorted(shown, reverse=True)
    assert "Ranked by the score of the balanced approach" in page
    assert "Ranked by: estimated probability" not in page
