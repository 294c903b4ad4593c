"""The files the program writes are readable by the signed-in user of this computer only.

The register holds names, phone and ID numbers of every party: on POSIX its
file (and its ``-wal`` and ``-shm``), backups, exports and attachments are
0600 and the folders the program makes for them 0700, set explicitly where
they are created (never left to the umask), and a register made by an
earlier version is put right when it is opened. On Windows the per-user
data folder already keeps other accounts out, and ``chmod`` there only
toggles the read-only flag: these calls do nothing.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
POSIX = os.name == "posix"


def restrict(path: Path) -> None:
    """Make an existing file 0600 (a folder 0700); a file of another account is left as it is, and logged."""
    if not POSIX:
        return
    try:
        current = os.stat(path)
        wanted = FOLDER_MODE if stat.S_ISDIR(current.st_mode) else FILE_MODE
        if stat.S_IMODE(current.st_mode) != wanted:
            os.chmod(path, wanted)
    except FileNotFoundError:
        return
    except OSError as exc:  # not ours (another account's), a read-only disk, a FAT USB stick
        log.info("could not make %s private: %s", path, exc)


def make_folder(path: Path, *, ours: bool = False) -> None:
    """``mkdir -p`` whose new folders are 0700. ``ours``: the folder is the program's own (``backups/``,
    ``attachments/`` …), so it is made 0700 even if an earlier version made it; a folder the user chose
    (a USB stick) is otherwise left as it is.

    Raises ``OSError`` as ``Path.mkdir`` does.
    """
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another program
            new.mkdir(mode=FOLDER_MODE)
            restrict(new)  # mkdir's mode passes through the umask: said again, explicitly
    if not path.is_dir():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    if ours:
        restrict(path)


def create_file(path: Path, *, exclusive: bool = True) -> int:
    """Open a new file for writing, 0600 from its first moment; returns the descriptor.

    ``exclusive``: fail with ``FileExistsError`` if the name is taken (how a name is claimed).
    An existing file opened without ``exclusive`` is truncated and made 0600.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, FILE_MODE)
    if POSIX:
        try:
            os.fchmod(fd, FILE_MODE)  # said explicitly: an existing file, or a umask that is not the usual one
        except OSError as exc:  # a file system without POSIX modes (a FAT USB stick): nothing more to set
            log.info("no mode set on %s: %s", path, exc)
    return fd


def register_files(database: Path) -> tuple[Path, Path, Path]:
    """A SQLite register and the two files SQLite keeps beside it in WAL mode."""
    return database, Path(f"{database}-wal"), Path(f"{database}-shm")
