"""The core layer: the BOM model, cell checks, units, exact values, rules, roll-up, determination,
contributions, explanations, scenarios and mitigation. It takes no file path and imports nothing
from io, report, the CLI or the api, and no file-format, notebook or plotting library.
"""
