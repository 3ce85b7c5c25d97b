"""CLI commands: build (the results store), serve (the web application), report (a region report)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from smartspec.cli.app import app, console, err_console
from smartspec.cli.options import DataDirOpt, DatasetOpt, FormatOpt, StoreOpt, StoreProfileOpt, StoreRegionOpt
from smartspec.config import DEFAULT_DATASET, DEFAULT_PROFILE, DEFAULT_REGION


def _build(dataset: str, region: str, data_dir: Optional[Path], store: Optional[Path]) -> Path:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from smartspec.store import build_store

    with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=err_console) as bar:
        task = bar.add_task("building the results store", total=1)

        def step(desc: str, i: int, n: int) -> None:
            bar.update(task, description=f"store: {desc}", completed=i - 1, total=n)

        path = build_store(dataset=dataset, region_profile=region, data_dir=data_dir, path=store, progress=step)
        bar.update(task, completed=bar.tasks[0].total)
    return path


def current_store(dataset: str, profile: str, data_dir: Optional[Path], store: Optional[Path],
                  rebuild: bool = False) -> tuple[Path, bool]:
    """The folder of the store these options name (``--store``, else the default one of the
    dataset and profile), built first when it is missing, stale or ``rebuild`` is asked;
    and whether it was built."""
    from smartspec.store import default_store_path, store_is_current

    path = Path(store) if store else default_store_path(dataset, profile)
    if rebuild or not store_is_current(path):
        return _build(dataset, profile, data_dir, path), True
    return path, False


def _summary(path: Path) -> None:
    import json

    man = json.loads((path / "manifest.json").read_text())
    missing = {k: v for k, v in man["sections"].items() if not v.get("available")}
    console.print(f"results store: [bold]{path}[/bold] ({man['dataset']}, {man['year']}, "
                  f"{man['n_regions']} regions x {man['n_activities']} activities, built in {man['build_seconds']} s)",
                  soft_wrap=True)
    for name, sec in man["sections"].items():
        for note in sec.get("warnings", [])[:3]:
            console.print(f"  [dim]note[/dim]: {name} — {note}", highlight=False, soft_wrap=True)
    for name, sec in missing.items():
        console.print(f"  [yellow]not available[/yellow]: {name} — {sec.get('reason', '')}", highlight=False,
                      soft_wrap=True)


def _check_port(host: str, port: int) -> None:
    import socket

    from smartspec.errors import InputError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}", where="--host/--port",
                             fix=f"stop what uses port {port} or pick another one with --port") from None


def _profile_region(path: Path) -> str:
    import json

    try:
        return json.loads((path / "manifest.json").read_text()).get("region") or DEFAULT_REGION
    except (OSError, ValueError):
        return DEFAULT_REGION


@app.command()
def build(
    dataset: DatasetOpt = DEFAULT_DATASET,
    region: StoreRegionOpt = DEFAULT_PROFILE,
    data_dir: DataDirOpt = None,
    store: StoreOpt = None,
) -> None:
    """Precompute every table of the web application and the region report (the results store)."""
    path = _build(dataset, region, data_dir, store)
    _summary(path)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    dataset: DatasetOpt = DEFAULT_DATASET,
    region: StoreRegionOpt = DEFAULT_PROFILE,
    data_dir: DataDirOpt = None,
    store: StoreOpt = None,
    rebuild: Annotated[bool, typer.Option(help="Rebuild the results store even if it is current.")] = False,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", help="Host name clients may use besides 127.0.0.1, localhost and the bind address "
                               "(repeat for several); other Host headers answer 400.")] = None,
) -> None:
    """Serve the web application (builds the results store first if needed) and print its address."""
    import uvicorn

    from smartspec.web import create_app

    _check_port(host, port)
    path, built = current_store(dataset, region, data_dir, store, rebuild)
    if built:
        _summary(path)
    web = create_app(path, allowed_hosts=[host, *(allowed_host or [])])
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)
    console.print(f"\n[bold green]smartspec is running[/bold green]: open [bold]http://{shown}:{port}/[/bold] "
                  f"in your browser (region profile: http://{shown}:{port}/region/{_profile_region(path)}, "
                  f"API docs: http://{shown}:{port}/api/docs). Press Ctrl+C to stop.\n",
                  highlight=False, soft_wrap=True)
    # httptools and uvloop (pinned dependencies): the C HTTP parser and event loop, so the one
    # event loop spends its time handing requests to the handlers' threads, not parsing them
    uvicorn.run(web, host=host, port=port, http="httptools", loop="uvloop", log_level="warning", access_log=False)


@app.command()
def report(
    region: Annotated[str, typer.Argument(help="NUTS code or name of the region (e.g. ITC4, Lombardia, Lombardy).")] = DEFAULT_REGION,
    format: FormatOpt = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Output file (default REGION-report.FORMAT).")] = None,
    dataset: DatasetOpt = DEFAULT_DATASET,
    profile: StoreProfileOpt = DEFAULT_PROFILE,
    data_dir: DataDirOpt = None,
    store: StoreOpt = None,
) -> None:
    """Write a self-contained region report (HTML, or PDF printed by headless chromium)."""
    from smartspec.report import write_report
    from smartspec.report.render import document_format

    fmt = document_format(format, output)  # before the store, which may take minutes to build
    path, _ = current_store(dataset, profile, data_dir, store)
    out = write_report(region, output, fmt=fmt, store_path=path)
    console.print(f"wrote {out} ({out.stat().st_size / 1024:,.0f} KiB)")
