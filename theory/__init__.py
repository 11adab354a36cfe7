"""Theory witness: closed forms and SymPy derivations (mpmath where precision matters).

This package never imports :mod:`simulate`, :mod:`paper_checks` or matplotlib (design.md §1), and writes no
files except the ``.tex`` output of :mod:`theory.latex`.
"""
