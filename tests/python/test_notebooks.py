"""The tslab kernel registered by `make install` runs the environment notebook end to end."""

import os
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "notebooks"))

from execute import execute  # noqa: E402


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
    return "".join(parts)


def test_environment_notebook_runs_in_tslab(tmp_path):
    os.environ.setdefault("JUPYTER_PATH", str(ROOT / ".tools" / "jupyter"))
    written = execute(ROOT / "notebooks" / "00-environment.ipynb", tmp_path, timeout=180)
    text = outputs_text(nbformat.read(written, as_version=4))
    assert "ok      duckdb" in text
    assert "ok      iceberg-spark-runtime" in text
    assert "8.8.8.8 -> US" in text
    assert "10.0.0.1 -> null" in text
