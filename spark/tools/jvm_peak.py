"""Peak memory of every JVM of one Spark run: runs a command (e.g. `etl run --engine spark
...`) and samples /proc every 0.5 s for the java processes in its process tree and in the
process groups of the recorded standalone cluster (spark-work/cluster/state.json), which
the harness's own sampler does not see. Prints one JSON line with each JVM's high-water mark
(VmHWM) and the peak of their summed RSS.

    python spark/tools/jvm_peak.py -- node bin/etl.js run --engine spark --input ...
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

KINDS = {
    "launcher.Main": "launcher",
    "deploy.master.Master": "master",
    "deploy.worker.Worker": "worker",
    "CoarseGrainedExecutorBackend": "executor",
    "SparkSubmit": "driver",
}


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, pgrp) of a live process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[1]), int(fields[2])) if fields[0] != "Z" else None


def _jvm(pid: int) -> tuple[str, int, int] | None:
    """(kind, VmRSS kB, VmHWM kB) when pid is a java process."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if not args or os.path.basename(args[0].decode()) != "java":
            return None
        cmd = b" ".join(args).decode(errors="replace")
        status = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        )
        rss = int(status["VmRSS"].split()[0])
        hwm = int(status["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        return None
    kind = next((k for needle, k in KINDS.items() if needle in cmd), "java")
    return kind, rss, hwm


def _cluster_groups(dir_: Path) -> set[int]:
    state = dir_ / "state.json"
    if not state.exists():
        return set()
    data = json.loads(state.read_text())
    return {data["master"]["pid"], *(w["pid"] for w in data["workers"])}


def main(argv: list[str]) -> int:
    cmd = argv[argv.index("--") + 1 :] if "--" in argv else argv
    cluster_dir = Path(
        os.environ.get(
            "ETL_SPARK_CLUSTER_DIR", Path(__file__).resolve().parents[2] / "spark-work" / "cluster"
        )
    )
    groups = _cluster_groups(cluster_dir)
    child = subprocess.Popen(cmd)
    peaks: dict[int, tuple[str, int]] = {}
    sum_peak = 0
    while child.poll() is None:
        procs = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (st := _stat(int(entry))) is not None:
                procs[int(entry)] = st
        mine = {child.pid}
        changed = True
        while changed:  # descendants of the command
            new = {p for p, (ppid, _) in procs.items() if ppid in mine} - mine
            mine |= new
            changed = bool(new)
        mine |= {p for p, (_, pgrp) in procs.items() if pgrp in groups}
        total = 0
        for pid in mine:
            if (jvm := _jvm(pid)) is not None:
                kind, rss, hwm = jvm
                peaks[pid] = (kind, max(hwm, peaks.get(pid, (kind, 0))[1]))
                total += rss
        sum_peak = max(sum_peak, total)
        time.sleep(0.5)
    print(
        json.dumps(
            {
                "jvm_peak_mb": {f"{k}:{p}": round(v / 1024) for p, (k, v) in sorted(peaks.items())},
                "sum_rss_peak_mb": round(sum_peak / 1024),
                "exit_code": child.returncode,
            }
        ),
        file=sys.stderr,
    )
    return child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
