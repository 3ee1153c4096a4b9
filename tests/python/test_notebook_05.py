"""Notebook 05 (cost and decision) runs end to end in the tslab kernel on a synthetic fixture.

The fixture rows are written by tests/util/writeBenchFixture.ts (known engine parameters, not
measurements); COST_RESULTS_FIXTURE=1 makes the notebook say so in its output.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "notebooks"))

from execute import charts_missing, execute, export_html  # noqa: E402


def test_cost_notebook_runs_and_draws_its_charts(tmp_path, monkeypatch):
    fixture = tmp_path / "fixture.jsonl"
    subprocess.run(
        ["node", "node_modules/tsx/dist/cli.mjs", "tests/util/writeBenchFixture.ts", str(fixture)],
        cwd=ROOT,
        check=True,
    )
    monkeypatch.setenv("COST_RESULTS", str(fixture))
    monkeypatch.setenv("COST_RESULTS_FIXTURE", "1")
    os.environ.setdefault("JUPYTER_PATH", str(ROOT / ".tools" / "jupyter"))
    written = execute(ROOT / "notebooks" / "05-cost-and-decision.ipynb", tmp_path, timeout=300)
    nb = nbformat.read(written, as_version=4)
    text, svgs, markdown = [], [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text.append(out.get("text", ""))
            data = out.get("data", {})
            svgs.append(data.get("image/svg+xml", ""))
            markdown.append(data.get("text/markdown", ""))
    text = "".join(text)
    markdown = "".join(markdown)
    assert "SYNTHETIC FIXTURE, not measurements" in text
    # The price table is the deck's (src/report/reportTables.ts), shown as Markdown.
    assert "| m7i.xlarge |" in markdown
    charts = [s for s in svgs if 'class="plot-' in s]
    assert len(charts) == 4, f"expected 4 Observable Plot charts, got {len(charts)}"
    assert all('aria-label="dot"' in h for h in charts)
    # The flowchart drawn by mermaid in headless Chromium, with its decision nodes.
    flowcharts = [s for s in svgs if 'aria-roledescription="flowchart' in s]
    assert len(flowcharts) == 1, "expected the decision flowchart as SVG"
    assert flowcharts[0].count('class="node') >= 3
    assert charts_missing(nb) == []
    # The exported page in headless Chromium: every Plot chart has marks, no console error.
    html = export_html(written, tmp_path / "html")
    done = subprocess.run(
        ["node", "--import", "tsx", "src/charts/checkHtmlMain.ts"]
        + ["--screenshots", str(tmp_path / "screenshots"), "--min-charts", "4", str(html)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Plot SVGs 4/4 with marks" in done.stdout, done.stdout
