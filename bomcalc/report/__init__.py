"""The report layer: result documents and text, the explanation text, the audit workbook, the
Excel report and the notebook runner. It reads core results and writes through bomcalc.io.
"""
