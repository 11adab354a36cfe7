"""What every stored variable means: its units and long name (netCDF CF-style ``units`` and ``long_name``).

One table for the whole workbench, so that ``ncdump -h`` on any result tells a reader what each variable is,
and one name per quantity: I(X;T) is ``I_XT_<estimator>``, I(T;Y) is ``I_TY_<estimator>``, entropy ``H_…``.
:func:`annotate` is applied by the store to everything it writes; :func:`describe_variable` raises for a name the
table does not know, so a new variable cannot be stored undescribed (``tests/test_variables.py``).
"""

from __future__ import annotations

import re

import xarray as xr

__all__ = ["COORDINATES", "VARIABLES", "annotate", "describe_variable"]

_ESTIMATORS = {
    "bin": "binning",
    "netinput": "net-input binning",
    "machine": "machine-precision binning",
    "kde": "KDE",
    "exact": "exact Gaussian (log-det) formula",
    "ebab": "entropy-based adaptive binning (EBAB, arXiv:1902.09037)",
    "akde": "adaptive KDE (aKDE, arXiv:1902.09037)",
}

#: (pattern, units, long name); the long name may use the pattern's groups.
VARIABLES: tuple[tuple[str, str, str], ...] = (
    (r"I_XT_upper_(\w+)", "bits", "upper bound on I(X;T), {est}"),
    (r"I_XT_lower_(\w+)", "bits", "lower bound on I(X;T), {est}"),
    (r"I_TY_upper_(\w+)", "bits", "upper estimate of I(T;Y), {est}"),
    (r"I_TY_lower_(\w+)", "bits", "lower estimate of I(T;Y), {est}"),
    (r"I_XT_(\w+)", "bits", "mutual information I(X;T) of layer and input, {est}"),
    (r"I_TY_(\w+)", "bits", "mutual information I(T;Y) of layer and label, {est}"),
    (r"I_XT", "bits", "mutual information I(X;T) of layer and input"),
    (r"I_TY", "bits", "mutual information I(T;Y) of layer and label"),
    (r"I_X_rel", "bits", "mutual information of layer and task-relevant inputs"),
    (r"I_X_irrel", "bits", "mutual information of layer and task-irrelevant inputs"),
    (r"H_kraskov", "bits", "Kozachenko–Leonenko (Kraskov) entropy H(T) of the layer"),
    (r"bin_low_(\w+)", "1", "lower end of the min–max binning range (activity)"),
    (r"bin_high_(\w+)", "1", "upper end of the min–max binning range (activity)"),
    (r"train_loss", "nats", "cross-entropy on the training set"),
    (r"test_loss", "nats", "cross-entropy on the test set"),
    (r"train_accuracy", "1", "fraction of training examples classified correctly"),
    (r"test_accuracy", "1", "fraction of test examples classified correctly"),
    (r"train_error", "1", "training error (mean squared error / 2)"),
    (r"test_error", "1", "generalization error (expected squared error / 2)"),
    (r"weight_norm", "1", "Frobenius norm of the layer's kernel"),
    (r"parameters", "1", "flattened network parameters (kernels then biases, per layer)"),
    (r"train_index", "1", "index of a training example in the task's patterns"),
    (r"test_index", "1", "index of a test example in the task's patterns"),
    (r"activity_histogram", "1", "fraction of the layer's activity values in each bin"),
    (r"hidden_edges", "1", "bin edges of the hidden layers' activity histograms"),
    (r"zero_fraction", "1", "fraction of activity values exactly 0"),
    (r"extreme_fraction", "1", "fraction of activity values in the two extreme bins (saturation)"),
    (r"(grad\w*)_mean_norm", "1", "Frobenius norm of the mean kernel gradient, m_l ({group})"),
    (r"(grad\w*)_std_norm", "1", "Frobenius norm of the element-wise gradient standard deviation, s_l ({group})"),
    (r"(grad\w*)_snr", "1", "gradient signal-to-noise ratio m_l / s_l ({group})"),
    (r"I_X_rel_(\w+)", "bits", "mutual information of layer and task-relevant inputs, {est}"),
    (r"I_X_irrel_(\w+)", "bits", "mutual information of layer and task-irrelevant inputs, {est}"),
    (r"X_train", "1", "training inputs of the linear teacher task, x ~ N(0, I/N_i)"),
    (r"Y_train", "1", "training targets of the linear teacher task, y = W_o x + noise"),
    (r"W_o", "1", "teacher weights (zero on task-irrelevant inputs)"),
    (r"relevant", "1", "1 if the teacher reads the input, 0 if it is task-irrelevant"),
    (r"W_tot", "1", "total input-output map of the linear student, W_L ... W_1"),
    (r"mode_strength", "1", "strength a_l of each aligned mode in a layer's weights"),
    (r"mode_product", "1", "mode strength u = a_1 ... a_D of the network's input-output map"),
    (r"off_manifold", "1", "largest off-diagonal entry of U^T W_tot V (0 on the decoupled manifold)"),
    (r"u_theory", "1", "closed-form mode strength u(t) of the network's map"),
    (r"(a|b)_theory", "1", "closed-form strength of an unbalanced two-layer mode, layer {est}"),
    (r"E_g_(\w+)", "1", "generalization error (expected squared error, units of y²), {est}"),
    (r"E_t_(\w+)", "1", "training error (mean squared error, units of y²), {est}"),
    (r"noise_variance_(\w+)", "1", "noise variance σ² adapted to the layer and epoch (units of activity²), {est}"),
)


#: Coordinates shared by the results: (units, long name).
COORDINATES: dict[str, tuple[str, str]] = {
    "seed": ("1", "seed: the repetition (its split, initialisation and minibatch order)"),
    "epoch": ("1", "completed training epochs (0 = the initial network)"),
    "layer": ("1", "layer, 1 = first hidden layer, last = output layer"),
    "noise_variance": ("1", "variance σ² of the Gaussian noise added to the activity (KDE)"),
    "time": ("1", "gradient-flow time t of the summed loss"),
    "noise_scale": ("1", "constant κ of the adapted noise variance σ² = κ·max|activity| (aKDE)"),
}


def describe_variable(name: str) -> tuple[str, str]:
    """``(units, long_name)`` of a stored variable.

    Raises
    ------
    KeyError
        If no entry of :data:`VARIABLES` describes `name`.
    """
    for pattern, units, long_name in VARIABLES:
        match = re.fullmatch(pattern, name)
        if match:
            group = match.group(1) if match.groups() else ""
            est = _ESTIMATORS.get(group, group.replace("_", " "))
            kind = "per minibatch" if "batch" in group else "per sample"
            return units, long_name.format(est=est, group=kind)
    raise KeyError(f"variable {name!r} has no units/long_name in paper_checks.variables.VARIABLES; add it there")


def annotate(ds: xr.Dataset) -> xr.Dataset:
    """Give every data variable and known coordinate of `ds` its ``units`` and ``long_name`` (in place).

    Variables that already carry both keep them (an experiment may describe its own variables). Returns `ds`.
    """
    for name, (units, long_name) in COORDINATES.items():
        if name in ds.coords:
            ds[name].attrs.setdefault("units", units)
            ds[name].attrs.setdefault("long_name", long_name)
    for name in ds.data_vars:
        attrs = ds[name].attrs
        if "units" in attrs and "long_name" in attrs:
            continue
        units, long_name = describe_variable(str(name))
        attrs.setdefault("units", units)
        attrs.setdefault("long_name", long_name)
    return ds
