"""Run every benchmark and assemble docs/benchmarks.md.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/run_all.py``). Each benchmark writes its
own section to ``docs/benchmarks_<topic>.md``; this script runs them in turn and joins the
sections under a common header.
"""
from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ["data", "measures", "strategy", "paths", "partners", "web", "cli"]
SCRIPTS = [f"bench_{topic}.py" for topic in TOPICS]
SECTIONS = [f"benchmarks_{topic}.md" for topic in TOPICS]
#: Further runs of a script, after its default one: the web load goal of issue 13 (its own section of benchmarks_web.md).
EXTRA_RUNS = {"bench_web.py": [["--mix"]]}


def main() -> None:
    for script in SCRIPTS:
        print(f"== {script}", file=sys.stderr)
        for extra in [[], *EXTRA_RUNS.get(script, [])]:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *extra], check=True, cwd=ROOT)
    assemble()


def assemble() -> None:
    parts = [
        "# Benchmarks",
        "",
        "Speed and memory of smartspec, measured on this project's machine (2 cores, 24 GB, no GPU; "
        f"Python {platform.python_version()}), with the anchors run side by side in the same run where "
        "they exist. Benchmarks are not part of the test suite. Reproduce everything with `make bench`; "
        "each section names its own command. Each benchmark script also writes its latest run to a page of its "
        "own: " + ", ".join(f"[{topic.replace('cli', 'command line')}](benchmarks_{topic}.md)" for topic in TOPICS) + ".",
        "",
    ]
    for name in SECTIONS:
        path = ROOT / "docs" / name
        if path.exists():
            parts += [path.read_text().strip(), ""]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(parts))


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assemble", action="store_true",
                        help="only join the existing sections into docs/benchmarks.md, run nothing")
    if parser.parse_args().assemble:
        assemble()
    else:
        main()
