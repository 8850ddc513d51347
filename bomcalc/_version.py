"""The version of bomcalc, in one place (read by setup.cfg and the package)."""

__version__ = "0.1.0"
