"""Setting up is what the two commands do: one list of system packages, one lock of Python packages.

scripts/system-packages.txt is the only list of Debian/Ubuntu packages: the
scripts install from it and the README and CI name it instead of keeping a list
of their own. requirements.lock pins every Python package with its hashes, for
Linux and Windows, and says plainly when pyproject.toml has moved on without it.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "scripts" / "system-packages.txt"
LOCK = ROOT / "requirements.lock"


def _listed() -> dict[str, set[str]]:
    """Each package name of the list (every alternative) -> the scripts that need it."""
    found: dict[str, set[str]] = {}
    for line in PACKAGES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            names, *purposes = line.split()
            for name in names.split("|"):
                found[name] = set(purposes)
    return found


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_listed_package_says_which_scripts_need_it() -> None:
    listed = _listed()
    assert listed and all(purposes and purposes <= {"demo", "test", "build"} for purposes in listed.values())
    assert {"fonts-wqy-zenhei", "fonts-wqy-microhei", "postgresql", "poppler-utils"} <= {
        name for name, purposes in listed.items() if "test" in purposes}
    assert "build" in listed["nsis"] and "demo" in listed["xvfb"]


def test_the_readme_and_ci_name_the_list_and_keep_none_of_their_own() -> None:
    for path in (ROOT / "README.md", ROOT / ".ci" / "run"):
        text = path.read_text(encoding="utf-8")
        assert "scripts/system-packages" in text, path.name
        assert "apt-get install" not in text, f"{path.name} installs packages itself"
        named = [name for name in _listed() if re.search(rf"(?<![\w./-]){re.escape(name)}(?![\w.-])", text)]
        assert len(named) <= 2, f"{path.name} keeps a list of packages: {named}"  # a mention is not a list


def test_each_script_installs_what_it_needs_from_the_list() -> None:
    for script, purpose in (("scripts/demo.sh", "demo"), ("scripts/test.sh", "test"),
                            ("installer/build.sh", "build"), (".ci/run", "all")):
        assert f"bash scripts/system-packages.sh {purpose}" in (ROOT / script).read_text(encoding="utf-8"), script


def test_every_system_file_a_test_opens_comes_from_a_package_the_test_command_installs() -> None:
    named = set()
    for source in (ROOT / "tests").rglob("*.py"):
        named |= set(re.findall(r"""["'](/usr/share/[^"'*{}]+)["']""", source.read_text(encoding="utf-8")))
    assert named, "the font tests name their fonts' files"
    assert shutil.which("dpkg-query"), "the test command sets up Debian/Ubuntu"
    wanted = {name for name, purposes in _listed().items() if "test" in purposes}
    for path in sorted(named):
        owner = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True, check=False)
        packages = {entry.split(":")[0] for entry in owner.stdout.split(": ", 1)[0].split(", ")}
        assert owner.returncode == 0 and packages & wanted, f"{path} ({owner.stdout.strip()}) is not in the list"


# -- the lock ---------------------------------------------------------------------------------


def _check(pyproject: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "check_lock.py"), "--pyproject", str(pyproject),
                           "--lock", str(LOCK)], capture_output=True, text=True, check=False)


def test_the_lock_answers_pyproject() -> None:
    done = _check(ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stderr


def test_a_pin_changed_or_added_without_refreshing_the_lock_is_named_with_the_way_out(tmp_path: Path) -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"SQLAlchemy==2.1.9"' in text
    changed = tmp_path / "pyproject.toml"
    changed.write_text(text.replace('"SQLAlchemy==2.1.9"', '"SQLAlchemy==2.1.8", "hypothesis==6.150.0"'),
                       encoding="utf-8")
    done = _check(changed)
    assert done.returncode == 1
    assert "SQLAlchemy==2.1.8" in done.stderr and "sqlalchemy==2.1.9" in done.stderr
    assert "hypothesis" in done.stderr and "bash scripts/lock.sh" in done.stderr


def test_a_loosened_requirement_makes_the_lock_stale_and_a_comment_does_not(tmp_path: Path) -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    commented = tmp_path / "commented.toml"
    commented.write_text(text.replace('"pytest==9.0.3",', '"pytest==9.0.3",  # the test runner'), encoding="utf-8")
    assert _check(commented).returncode == 0
    loosened = tmp_path / "loosened.toml"
    loosened.write_text(text.replace('"pytest==9.0.3"', '"pytest>=9"'), encoding="utf-8")
    done = _check(loosened)
    assert done.returncode == 1 and "changed since" in done.stderr


def test_every_locked_package_is_pinned_with_its_hashes() -> None:
    entries = _script("windows_requirements").entries(LOCK)
    assert len(entries) > 40
    for entry in entries:
        assert re.match(r"^[a-z0-9][a-z0-9._-]*==\S+", entry) and "--hash=sha256:" in entry, entry


def test_the_lock_gives_windows_its_own_packages() -> None:
    """One lock for both: on Windows keyring talks to the Credential Manager through pywin32-ctypes."""
    windows = {entry.split("==")[0] for entry in _script("windows_requirements").for_windows(LOCK)}
    assert {"pywin32-ctypes", "colorama", "pyside6-essentials", "psycopg-binary", "pyinstaller"} <= windows
    assert not {"secretstorage", "jeepney"} & windows, "the Linux keyring's packages stay off Windows"
