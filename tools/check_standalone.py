"""Fails when a tracked file points outside the repository or holds an absolute path of the
machine it was written on: the project must stand alone on a fresh clone (docs/architecture.md).

Looks for: a relative pointer to a sibling "shared" folder, the phrase naming a brief that
lives outside the repository, this checkout's absolute path and each of its parent folders
(system folders such as /home or /opt excepted), and the home folder. Run by `make lint`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Parents of a checkout that say nothing about one machine (a path under them is still caught
# through the checkout's own path and its deeper parents).
SYSTEM_DIRS = {"/home", "/opt", "/usr", "/tmp", "/var", "/srv", "/mnt", "/root", "/"}


def forbidden_strings(root: Path) -> list[str]:
    # Spelled in pieces so that this file does not match itself.
    words = ["../" + "shared", "common " + "brief"]
    paths = {str(root)}
    for parent in root.parents:
        if str(parent) not in SYSTEM_DIRS:
            paths.add(str(parent) + "/")
    home = os.environ.get("HOME", "")
    if home and home not in SYSTEM_DIRS:
        paths.add(home.rstrip("/") + "/")
    return words + sorted(paths, key=len, reverse=True)


def main() -> int:
    root = Path(
        subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True
        ).stdout.strip()
    ).resolve()
    needles = forbidden_strings(root)
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
    ).stdout.split(b"\0")
    problems = []
    for name in filter(None, files):
        path = root / name.decode()
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            for needle in needles:
                if needle in line:
                    problems.append(f"{name.decode()}:{lineno}: contains {needle!r}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} place(s) point outside the repository or hold an absolute path of "
            "this machine; the project must stand alone (docs/architecture.md)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
