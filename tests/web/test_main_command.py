"""The README's main command, `make run` = `smartspec run`, end to end as a user runs it.

It prints Lombardy's profile and opportunities on the real data, then serves the web
application on loopback; the test reads the printed address and fetches pages from it.
The results store is the one the web tests built (copied to where `run` looks for it), so the
command does not spend half a minute building it again.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SMARTSPEC = Path(sys.executable).with_name("smartspec")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_main_command_profiles_lombardy_and_serves_the_app(store_path, tmp_path, monkeypatch):
    from smartspec.store import default_store_path

    monkeypatch.setenv("SMARTSPEC_CACHE", str(tmp_path / "cache"))
    env = {**os.environ, "COLUMNS": "160"}
    shutil.copytree(store_path, default_store_path("eurostat-sbs", "lombardy"))

    port = _free_port()
    log = tmp_path / "run.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(SMARTSPEC), "run", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                env=env, text=True)
        try:
            deadline = time.time() + 240
            while "smartspec is running" not in log.read_text():
                assert proc.poll() is None, f"smartspec run exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
                assert time.time() < deadline, f"no server after 240 s:\n{log.read_text()[-3000:]}"
                time.sleep(0.5)
            printed = log.read_text()
            address = re.search(r"open (http://127\.0\.0\.1:\d+/)", printed).group(1)
            assert address == f"http://127.0.0.1:{port}/"
            for _ in range(40):  # uvicorn starts listening just after the address is printed
                try:
                    home = urllib.request.urlopen(address, timeout=10)
                    break
                except OSError:
                    time.sleep(0.25)
            assert home.status == 200 and "smartspec" in home.read().decode()
            region = urllib.request.urlopen(address + "region/ITC4", timeout=10)
            assert region.status == 200 and "Lombardia" in region.read().decode()
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    # what the terminal showed before the server: the profile and the opportunities
    assert "Top 15 specialisations by location quotient" in printed
    assert re.search(r"C13\s+Manufacture of textiles", printed)
    assert "Why the first three" in printed
    assert "Traceback" not in printed
