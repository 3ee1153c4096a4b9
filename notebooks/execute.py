"""Execute tslab notebooks headless with the project's kernel, check them, export HTML.

The tslab kernel (registered by `make install` under .tools/jupyter, found through
JUPYTER_PATH) runs Node with tsx loaded, so cells can `require("../src/....ts")`; their types
come from declarations that `make notebooks` emits into build/types first. The scale comes
from ETL_NOTEBOOK_EVENTS (read by src/notebook/index.ts in the kernel).

A run fails when a cell fails, or when a chart cell (one that calls `nb.show(`) has no chart
output: an image/svg+xml output or an HTML output holding a Plotly figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
PLOTLY_JS = ROOT / "node_modules" / "plotly.js" / "dist" / "plotly.min.js"
PLOTLY_MARK = 'class="etl-plotly"'


def chart_outputs(cell) -> int:
    """How many chart outputs a cell has (Observable Plot SVGs and Plotly figures)."""
    n = 0
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "image/svg+xml" in data:
            n += 1
        html = data.get("text/html", "")
        if isinstance(html, list):
            html = "".join(html)
        n += html.count(PLOTLY_MARK)
    return n


def charts_missing(nb) -> list[str]:
    """Chart cells (calling `nb.show(`) that produced fewer charts than they asked for."""
    missing = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        wanted = cell.source.count("nb.show(")
        if wanted and chart_outputs(cell) < wanted:
            missing.append(f"cell {i + 1} asks for {wanted} chart(s), has {chart_outputs(cell)}")
    return missing


def errors_in(nb) -> list[str]:
    """Outputs that report an error (tslab prints compile errors on stderr)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {i + 1}: {out.get('ename')}: {out.get('evalue')}")
    return found


def scrub_paths(nb, root: Path = ROOT) -> None:
    """Outputs name files relative to the repository: no path of this machine is saved."""
    prefix = str(root) + "/"

    def clean(value):
        if isinstance(value, str):
            return value.replace(prefix, "").replace(str(root), ".")
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(clean(dict(o))) for o in cell.outputs]


def children_cpu_seconds() -> float:
    """CPU seconds of the finished child processes (the kernel, and what it waited for)."""
    t = os.times()
    return t.children_user + t.children_system


def machine_paths_in(nb, root: Path = ROOT) -> list[str]:
    """Outputs that still name a folder of this machine outside the repository (the folder
    that holds the checkout, or the home directory): cells must print such paths shortened."""
    prefixes = {str(p) + "/" for p in (root.parent, Path.home()) if len(p.parts) > 1}
    found = []
    for i, cell in enumerate(nb.cells):
        text = json.dumps(cell.get("outputs", []), ensure_ascii=False)
        # Only where a path starts: a longer path that merely ends in the same folder name
        # (a temp folder named like it) is not that folder.
        found += [
            f"cell {i + 1} names {p}..."
            for p in sorted(prefixes)
            if re.search(r"(?<![\w.@+=~-])" + re.escape(p), text)
        ]
    return found


# nbclient's own default (60 s) is too short for tslab on a loaded machine.
STARTUP_TIMEOUT = 600


def execute(
    path: Path, out_dir: Path | None, timeout: int, startup_timeout: int = STARTUP_TIMEOUT
) -> Path:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        # nbclient waits 60 s for a kernel by default; tslab (Node + tsx) on a busy machine
        # takes longer.
        startup_timeout=startup_timeout,
        kernel_name="tslab",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as err:
        raise SystemExit(f"{path}: a cell failed:\n{err}") from None
    problems = errors_in(nb) + charts_missing(nb)
    if problems:
        raise SystemExit(f"{path}: " + "; ".join(problems))
    scrub_paths(nb)
    leaks = machine_paths_in(nb)
    if leaks:
        raise SystemExit(f"{path}: outputs hold paths of this machine: " + "; ".join(leaks))
    target = (out_dir / path.name) if out_dir else path
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def export_html(notebook: Path, html_dir: Path) -> Path:
    """Static HTML of an executed notebook; Plotly figures load plotly.min.js from beside it."""
    from nbconvert import HTMLExporter

    html_dir.mkdir(parents=True, exist_ok=True)
    if not (html_dir / PLOTLY_JS.name).exists():
        shutil.copyfile(PLOTLY_JS, html_dir / PLOTLY_JS.name)
    # Plot's SVGs inline (skip_svg_encoding, not base64 images) so a browser check counts marks.
    exporter = HTMLExporter(
        extra_template_basedirs=[str(Path(__file__).parent / "templates")],
        template_name="offline",
        skip_svg_encoding=True,
    )
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    target = html_dir / f"{notebook.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out-dir", type=Path, default=None, help="write executed copies here")
    parser.add_argument("--html-dir", type=Path, default=None, help="export HTML here")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument(
        "--startup-timeout",
        type=int,
        default=STARTUP_TIMEOUT,
        help="seconds for the kernel to start",
    )
    args = parser.parse_args(argv)
    for nb in args.notebooks:
        print(f"executing {nb} ...", flush=True)
        wall0, cpu0 = time.monotonic(), children_cpu_seconds()
        written = execute(nb, args.out_dir, args.timeout, args.startup_timeout)
        print(
            f"  wrote {written} in {time.monotonic() - wall0:.0f} s wall, "
            f"{children_cpu_seconds() - cpu0:.0f} s CPU (kernel and its children), "
            f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        if args.html_dir:
            print(f"  exported {export_html(written, args.html_dir)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
