"""登记纠纷: the registration form."""

from wuye_desktop.ui.intake.dialog import IntakeDialog
from wuye_desktop.ui.intake.party_card import PartyCard

__all__ = ["IntakeDialog", "PartyCard"]
