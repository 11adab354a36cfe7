"""Mutual-information estimators for network layers (binning, KDE bounds, Kraskov, exact Gaussian).

All public estimators return **bits**. Each estimator lives in the submodule named after it, and the
submodules are the public API (their function names, e.g. ``mutual_information``, are shared):

* :mod:`.binning`: binned (plug-in) I(X;T), I(T;Y) with the paper's discretisers (:mod:`.discretizers`,
  docs/formulas.md#s3-1);
* :mod:`.kde`: pairwise-distance (Kolchinsky–Tracey) bounds on I(X;T) and I(T;Y) estimates for T = h + ε
  ([P] Eqs 7–12); :mod:`.kde_reference` is the straightforward SciPy version used as a reference;
* :mod:`.kraskov`: Kozachenko–Leonenko k-NN entropy H(T) ([P] Eq 16);
* :mod:`.gaussian`: exact I(T;X), I(T;Y) and subspace MI of linear-Gaussian channels (docs/formulas.md#s3-5);
* :mod:`.ebab` and :mod:`.adaptive_kde`: the follow-up paper's adaptive estimators (Chelombiev, Houghton &
  O'Donnell, ICLR 2019, arXiv:1902.09037): entropy-based adaptive binning and KDE with a per-layer noise variance.
"""

from simulate.mi import adaptive_kde, binning, discretizers, ebab, gaussian, kde, kde_reference, kraskov

__all__ = ["adaptive_kde", "binning", "discretizers", "ebab", "gaussian", "kde", "kde_reference", "kraskov"]
