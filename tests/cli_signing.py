"""The demo administrator signed in on a ``wuye`` command line, as ``../shared/checks`` do it.

Every command but ``demo``, ``check``, ``audit``, ``server`` and ``--version`` runs as an account;
``init`` with ``--user`` creates the first administrator of a new register with that password.
"""

from __future__ import annotations

DEMO_PASSWORD = "demo2026"
_NO_ACCOUNT = {"demo", "check", "audit", "server", "--version"}
_VALUED = {"--data-dir", "--db-url", "--user"}


def subcommand(args: tuple[str, ...] | list[str]) -> str:
    words = iter(args)
    for word in words:
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-") or word == "--version":
            return word
    return ""


def as_admin(args: tuple[str, ...] | list[str], stdin: str | None = None) -> tuple[list[str], str | None]:
    """``args`` signed in as the demo administrator where the command needs it, and what goes on stdin."""
    if subcommand(args) in _NO_ACCOUNT:
        return list(args), stdin
    return ["--user", "admin", "--password-stdin", *args], DEMO_PASSWORD + "\n" + (stdin or "")
