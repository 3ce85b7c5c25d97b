"""The documentation: a short README that opens with the two commands, every guide linked, the
API reference built from the docstrings, and the README's transcript produced by the code."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))


def test_readme_opens_with_the_two_commands_and_stays_short():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1).splitlines()
    assert [line.split("#")[0].strip() for line in block[:2]] == ["make run", "make test"]
    prose = re.sub(r"<!-- transcript:.*?<!-- /transcript -->", "", text, flags=re.S)
    assert len(prose.splitlines()) <= 150  # plus the one transcript, written by docs/transcripts.py


def test_every_guide_is_linked_from_the_readme_or_another_guide():
    docs = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    linked = set(re.findall(r"docs/([\w.-]+\.md)", (ROOT / "README.md").read_text()))
    for page in docs:
        linked |= set(re.findall(r"\(([\w.-]+\.md)\)", (ROOT / "docs" / page).read_text()))
    assert not set(docs) - linked, f"guides linked from nowhere: {sorted(set(docs) - linked)}"
    for name in linked:
        assert (ROOT / "docs" / name).exists(), f"link to a missing guide: {name}"


def test_api_reference_builds_from_the_docstrings(tmp_path):
    from build_api import build, modules

    pages = build(tmp_path)
    names = {p.relative_to(tmp_path).with_suffix("").as_posix().replace("/", ".") for p in pages}
    for module in ("smartspec.data.names", "smartspec.data.scope", "smartspec.metrics.complexity",
                   "smartspec.strategy.diversification", "smartspec.views.region", "smartspec.match.registry"):
        assert module in names, module
    assert len(names & set(modules())) >= len(modules()) - 2


def test_readme_transcript_is_the_command_s_output():
    r = subprocess.run([sys.executable, str(ROOT / "docs" / "transcripts.py"), "--check", "--numbers-may-differ",
                        str(ROOT / "README.md")],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
