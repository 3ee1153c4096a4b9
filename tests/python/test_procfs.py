"""spark/etl_spark/procfs.py: the one /proc reader of the Python side."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from etl_spark import procfs

ROOT = Path(__file__).resolve().parents[2]


def test_parse_stat_with_spaces_and_parentheses_in_the_command():
    fields = ["S", "41", "42"] + [str(i) for i in range(3, 19)] + ["777"] + ["0"] * 30
    st = procfs.parse_stat("1234 (a b) (c)) " + " ".join(fields))
    assert st == procfs.ProcStat("S", 41, 42, 777)


def test_reads_this_process():
    me = procfs.read_stat(os.getpid())
    assert me is not None and me.ppid == os.getppid()
    assert procfs.status_kb(os.getpid())["VmRSS"] > 1000
    assert os.getpid() in procfs.pids()
    assert any("python" in a for a in procfs.cmdline(os.getpid()))
    started = procfs.start_epoch_ms(os.getpid())
    assert started is not None and 0 < time.time() * 1000 - started < 3_600_000
    assert procfs.read_stat(2**30) is None and not procfs.alive(2**30)


def test_jvm_peak_runs_a_command_and_reports_its_exit_code():
    out = subprocess.run(
        [sys.executable, str(ROOT / "spark" / "tools" / "jvm_peak.py"), "--", "sh", "-c", "exit 3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 3
    assert '"exit_code": 3' in out.stderr
