"""Execute tslab notebooks in place (or into an output folder) with the project's kernel.

The tslab kernel (registered by `make install` under .tools/jupyter, found through
JUPYTER_PATH) runs Node with tsx loaded, so cells can `require("../src/....ts")`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def execute(path: Path, out_dir: Path | None, timeout: int) -> Path:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="tslab", resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        client.execute()
    except CellExecutionError as err:
        raise SystemExit(f"{path}: a cell failed:\n{err}") from None
    target = (out_dir / path.name) if out_dir else path
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out-dir", type=Path, default=None, help="write executed copies here")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    for nb in args.notebooks:
        print(f"executing {nb} ...", flush=True)
        print(f"  wrote {execute(nb, args.out_dir, args.timeout)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
