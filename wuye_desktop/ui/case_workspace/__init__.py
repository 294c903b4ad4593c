"""The workspace of one case: its header, the legal next steps, and a tab for each part of the file."""

from wuye_desktop.ui.case_workspace.window import CaseWorkspace

__all__ = ["CaseWorkspace"]
