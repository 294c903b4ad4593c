"""The lock as a Windows PC installs it: each pin whose markers hold on 64-bit Windows, CPython 3.11, hashes kept.

    python scripts/windows_requirements.py requirements.lock > windows.txt

pip evaluates a requirement's markers (``sys_platform == 'win32'``) against the
machine it runs on, even with ``--platform``: downloading the lock as it is from
Linux would skip the packages only Windows installs (pywin32-ctypes, colorama,
tzdata, pefile) and fetch the Linux-only ones. This writes the Windows set, so
``pip download --platform win_amd64`` checks exactly what the installer's Python installs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from packaging.requirements import Requirement

WINDOWS = {
    "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
    "platform_release": "10", "platform_version": "10.0.19045", "implementation_name": "cpython",
    "platform_python_implementation": "CPython", "python_version": "3.11", "python_full_version": "3.11.9",
    "implementation_version": "3.11.9",
}


def entries(lock: Path) -> list[str]:
    """Each requirement of the lock on one line (its continuation lines joined), comments left out."""
    joined, current = [], ""
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line and not current:
            continue
        current += " " + line.rstrip("\\").strip()
        if not line.endswith("\\"):
            joined.append(current.strip())
            current = ""
    return [entry for entry in joined if entry]


def for_windows(lock: Path) -> list[str]:
    kept = []
    for entry in entries(lock):
        spec, _, hashes = entry.partition(" --hash")
        requirement = Requirement(spec)
        if requirement.marker is None or requirement.marker.evaluate(WINDOWS):
            requirement.marker = None
            kept.append(f"{requirement} --hash{hashes}")
    return kept


if __name__ == "__main__":
    print("\n".join(for_windows(Path(sys.argv[1]))))
