"""Does requirements.lock still answer pyproject.toml? Exit 0 if so, else say what differs and how to fix it.

    python scripts/check_lock.py [--pyproject FILE] [--lock FILE]
    python scripts/check_lock.py --digest      # the line scripts/lock.sh writes into the lock

The lock records a digest of the requirements it was made from (the program's
and every extra's, as written in pyproject.toml); a change to any of them
(a new pin, a new version, a removed package) makes it stale. Standard library
only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGEST_PREFIX = "# pyproject.toml requirements: sha256:"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(pyproject: Path) -> list[str]:
    """The program's requirements and every extra's, as written (comments aside)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found = [" ".join(str(r).split()) for r in project.get("dependencies", [])]
    for extra, reqs in sorted(project.get("optional-dependencies", {}).items()):
        found += [f"[{extra}] " + " ".join(str(r).split()) for r in reqs]
    return found


def digest(pyproject: Path) -> str:
    return hashlib.sha256("\n".join(sorted(requirements(pyproject))).encode()).hexdigest()


def locked(lock: Path) -> dict[str, str]:
    """name -> version of every pin in the lock."""
    return {normalise(m[1]): m[2] for line in lock.read_text(encoding="utf-8").splitlines()
            if (m := _PIN.match(line))}


def problems(pyproject: Path, lock: Path) -> list[str]:
    if not lock.is_file():
        return [f"{lock.name} is missing"]
    text = lock.read_text(encoding="utf-8")
    pins = locked(lock)
    found: list[str] = []
    for req in requirements(pyproject):
        match = _NAME.match(req.split("] ", 1)[-1] if req.startswith("[") else req)
        if not match:
            continue
        name, spec = normalise(match[1]), match[3].split(";")[0].strip()
        if name not in pins:
            found.append(f"pyproject.toml asks for {match[1]}{' ' + spec if spec else ''}; {lock.name} has no {name}")
        elif spec.startswith("==") and spec[2:].strip() != pins[name]:
            found.append(f"pyproject.toml pins {match[1]}{spec}; {lock.name} has {name}=={pins[name]}")
    recorded = next((line[len(DIGEST_PREFIX):].strip() for line in text.splitlines()
                     if line.startswith(DIGEST_PREFIX)), None)
    if not found and recorded != digest(pyproject):
        found.append(f"pyproject.toml's requirements changed since {lock.name} was made")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--digest", action="store_true", help="print the digest line for the lock")
    args = parser.parse_args(argv)
    if args.digest:
        print(DIGEST_PREFIX + digest(args.pyproject))
        return 0
    found = problems(args.pyproject, args.lock)
    for line in found:
        print(f"{args.lock.name} is out of date: {line}", file=sys.stderr)
    if found:
        print("Refresh it with:  bash scripts/lock.sh   (then commit requirements.lock)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
