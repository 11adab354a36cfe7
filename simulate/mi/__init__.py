"""Mutual-information estimators for network layers (binning, KDE bounds, Kraskov, exact Gaussian).

All public estimators return **bits**. Submodules: :mod:`.binning`, :mod:`.kde`, :mod:`.kraskov`,
:mod:`.gaussian`.
"""
