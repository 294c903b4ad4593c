"""A crash inside C code (Qt's, SQLite's, a PDF library's) still leaves the Python stacks behind.

``enable(logs)`` points :mod:`faulthandler` at ``faults.log`` in the log folder,
beside the program's log file, so that support can see where the program was
when it died; without a usable folder, or before it is known, at stderr. The
dump holds file names, line numbers and function names only, never a value:
no personal number reaches it. The file grows only when the program crashes.
"""

from __future__ import annotations

import faulthandler
import sys
from pathlib import Path
from typing import IO

FILE_NAME = "faults.log"

_file: IO[str] | None = None  # kept open for the life of the process: faulthandler writes to its descriptor


def enable(logs: Path | None = None) -> Path | None:
    """Dump every thread's stack on a fatal error to ``logs/faults.log`` (returned), or else stderr (None)."""
    global _file
    previous, _file = _file, _open(logs) if logs is not None else None
    if _file is not None:
        faulthandler.enable(file=_file, all_threads=True)
    elif _has_stderr():
        faulthandler.enable(file=sys.stderr, all_threads=True)
    elif previous is not None:
        faulthandler.disable()  # never left writing to the descriptor closed below, perhaps reused by then
    if previous is not None:
        previous.close()
    return where()


def where() -> Path | None:
    """The file a crash's stacks go to now; None when it is stderr (or nowhere)."""
    return Path(_file.name) if _file is not None else None


def _open(logs: Path) -> IO[str] | None:
    try:
        logs.mkdir(parents=True, exist_ok=True)
        return (logs / FILE_NAME).open("a", encoding="utf-8")
    except OSError:
        return None


def _has_stderr() -> bool:
    """A window started without a console (pythonw, the installed program) has no stderr to write to."""
    try:
        return sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        return False
