"""Simulation witness: NumPy simulations and mutual-information estimators.

This package never imports :mod:`theory`, :mod:`paper_checks`, SymPy or matplotlib (docs/design.md#witnesses). Every
stochastic function takes an explicit :class:`numpy.random.Generator`.
"""
