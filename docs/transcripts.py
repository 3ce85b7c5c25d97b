"""Write the command transcripts of the README and the guides from the real commands.

Every transcript in a Markdown file stands between two markers::

    <!-- transcript: smartspec profile ITC4 --top 8 -->
    ```text
    $ smartspec profile ITC4 --top 8
    ...output...
    ```
    <!-- /transcript -->

This script runs each command (the ``smartspec`` next to the running Python, at a fixed width
of 100 columns) and rewrites the block between the markers with what it printed, so the
transcripts cannot drift from the code.

Run: ``.venv/bin/python docs/transcripts.py [FILE.md ...]`` (default: README.md and every
``docs/*.md``); ``--check`` rewrites nothing and exits 1 when a transcript differs;
``--check --numbers-may-differ`` ignores the digits (a model's probabilities may differ in the
last digit between machines) but not the words, columns or rows.
"""
from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMARTSPEC = Path(sys.executable).with_name("smartspec")
WIDTH = 100
BLOCK = re.compile(r"(<!-- transcript: (?P<cmd>.+?) -->\n)(?P<body>.*?)(<!-- /transcript -->)", re.S)


def run(command: str) -> str:
    """What ``command`` (a ``smartspec ...`` line) prints, stdout then stderr, as a text block."""
    args = shlex.split(command)
    if args[0] != "smartspec":
        raise SystemExit(f"a transcript runs smartspec commands only, not {args[0]!r}")
    env = dict(os.environ, COLUMNS=str(WIDTH), NO_COLOR="1", TERM="dumb")
    done = subprocess.run([str(SMARTSPEC), *args[1:]], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=600)
    out = (done.stdout + done.stderr).rstrip()
    out = "\n".join(line.rstrip() for line in out.splitlines())
    return f"```text\n$ {command}\n{out}\n```\n"


def refresh(text: str) -> str:
    """``text`` with every transcript block replaced by the command's current output."""
    return BLOCK.sub(lambda m: m.group(1) + run(m.group("cmd")) + m.group(4), text)


def _words(text: str) -> str:
    """``text`` with every number masked, spaces folded (columns shift with a number's width)."""
    return " ".join(re.sub(r"[-+]?\d[\d,.]*%?", "#", text).split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 if a transcript is out of date")
    parser.add_argument("--numbers-may-differ", action="store_true", help="with --check: compare without the digits")
    args = parser.parse_args(argv)
    files = args.files or [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    stale = []
    for path in files:
        text = path.read_text()
        if not BLOCK.search(text):
            continue
        new = refresh(text)
        same = (_words(new) == _words(text)) if args.numbers_may_differ else new == text
        if not same:
            stale.append(path)
            if not args.check:
                path.write_text(new)
    for path in stale:
        print(f"{'out of date' if args.check else 'rewrote'}: {path.relative_to(ROOT) if path.is_absolute() else path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
