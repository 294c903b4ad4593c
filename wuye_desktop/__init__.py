"""物业纠纷调解台账: the case register of a neighbourhood mediation room."""

__version__ = "0.1.0"
