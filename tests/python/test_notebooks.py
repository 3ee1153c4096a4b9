"""Every notebook runs on the tslab kernel at a tiny scale with its charts drawn, and the
exported HTML passes the headless-Chromium check (charts drawn, no console errors)."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "notebooks"))

from execute import charts_missing, execute, export_html  # noqa: E402

# 05 (cost and decision) has its own test, test_notebook_05.py.
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("0[0-4]-*.ipynb"))
TINY_EVENTS = "2000"


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(str(out.get("data", {}).get("text/markdown", "")))
    return "".join(parts)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """All notebooks executed in order (02 builds the warehouse 03 reads) into a temp folder."""
    tmp = tmp_path_factory.mktemp("notebooks")
    subprocess.run(
        ["node", "node_modules/typescript/bin/tsc", "-p", "notebooks/tsconfig.types.json"],
        cwd=ROOT,
        check=True,
    )
    env = {
        "JUPYTER_PATH": str(ROOT / ".tools" / "jupyter"),
        "ETL_NOTEBOOK_EVENTS": TINY_EVENTS,
        "ETL_NOTEBOOK_DIR": str(tmp / "work"),
        "ETL_BENCH_ROWS_DIR": str(ROOT / "tests" / "fixtures" / "bench"),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        written = {}
        for path in NOTEBOOKS:
            out = execute(path, tmp / "out", timeout=600)
            written[path.name] = (out, export_html(out, tmp / "html"))
        yield tmp, written
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_notebooks_are_there():
    names = [p.name for p in NOTEBOOKS]
    for prefix in ("00-", "01-", "02-", "03-", "04-"):
        assert any(n.startswith(prefix) for n in names), prefix


def test_environment_notebook_runs_in_tslab(executed):
    _, written = executed
    text = outputs_text(nbformat.read(written["00-environment.ipynb"][0], as_version=4))
    assert "ok      duckdb" in text
    assert "ok      iceberg-spark-runtime" in text
    assert "8.8.8.8 -> US" in text
    assert "10.0.0.1 -> null" in text
    assert "logical cores" in text


def test_every_chart_cell_has_its_chart_and_no_machine_path(executed):
    _, written = executed
    for name, (out, _) in written.items():
        nb = nbformat.read(out, as_version=4)
        assert charts_missing(nb) == [], name
        assert str(ROOT) not in out.read_text(encoding="utf-8"), name
    pipeline = outputs_text(nbformat.read(written["02-pipeline.ipynb"][0], as_version=4))
    assert "all tables equal row for row" in pipeline
    lakehouse = outputs_text(nbformat.read(written["03-lakehouse.ipynb"][0], as_version=4))
    assert lakehouse.count("| equal |") == 9
    bench = outputs_text(nbformat.read(written["04-benchmarks.ipynb"][0], as_version=4))
    assert "FIXTURE rows, not measurements" in bench


def test_chart_check_catches_a_chart_cell_without_a_chart():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("await nb.show(x);")])
    assert charts_missing(nb) == ["cell 1 asks for 1 chart(s), has 0"]


def test_exported_html_in_headless_chromium(executed):
    tmp, written = executed
    html = [str(h) for _, h in written.values()]
    shots = tmp / "screenshots"
    done = subprocess.run(
        ["node", "--import", "tsx", "src/charts/checkHtmlMain.ts", "--screenshots", str(shots)]
        + ["--min-charts", "1", *html],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok  ") == len(html), done.stdout
    assert len(list(shots.glob("*.png"))) == len(html)


def test_path_check_catches_a_path_of_the_machine_outside_the_repository():
    from execute import machine_paths_in

    if len(ROOT.parent.parts) <= 1:
        pytest.skip("the checkout sits at the file system's root: no folder above it to name")
    cell = nbformat.v4.new_code_cell("console.log(x);")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=f"{ROOT.parent}/other/f\n")
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert machine_paths_in(nb) == [f"cell 1 names {ROOT.parent}/..."]
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="scratch/notebooks/2000\n")
    ]
    assert machine_paths_in(nb) == []
