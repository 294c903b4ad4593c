"""Safety: opening a register safely, checking it, backing it up and putting a backup back.

The calls of ``checks`` (before anyone works: is the register whole, is it on a network share) are named
here. Public modules: ``opening`` (``open_register``: the register ready to use), ``backups``,
``restore``.
"""

from wuye_desktop.services.safety.checks import (
    NETWORK_FILESYSTEMS,
    StartupProblem,
    network_warning,
    on_network_mount,
    quick_check,
    register_file,
)

__all__ = [
    "NETWORK_FILESYSTEMS",
    "StartupProblem",
    "network_warning",
    "on_network_mount",
    "quick_check",
    "register_file",
]
