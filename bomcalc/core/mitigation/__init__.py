"""Mitigation (core layer): the least-cost re-sourcing search and its mixed-integer programme.
"""
