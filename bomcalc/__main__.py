"""``python -m bomcalc`` runs the command-line interface."""

from .cli import main

main()
