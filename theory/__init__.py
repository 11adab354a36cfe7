"""Theory witness: closed forms and SymPy derivations (mpmath where precision matters).

This package never imports :mod:`simulate`, :mod:`paper_checks` or matplotlib (docs/design.md#witnesses), and writes no
files except the ``.tex`` output of :mod:`theory.latex`.
"""
