"""itdeclare: returnee international-travel health declaration and health certificate."""

__version__ = "0.1.0"
