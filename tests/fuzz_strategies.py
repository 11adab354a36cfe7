# ruff: noqa: C408  (the table reads best as dict(name=value) calls)
"""Bad values per kind of parameter, and the table of public functions with one valid call each (issue 14).

Each :class:`Spec` names a public function, a small valid call and the kind of each parameter. The contract tests
replace one parameter at a time by every bad value of its kind (:data:`BAD`) and require a ``ValueError`` /
``TypeError`` naming that parameter; the valid call itself must return a finite result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


class _Opaque:
    """An object that is neither a number, an array nor a string."""

    def __repr__(self) -> str:
        return "<opaque>"


OPAQUE = _Opaque()

_NOT_A_NUMBER = ["1.0", 1 + 2j, None, OPAQUE]
BAD: dict[str, list] = {
    # any finite real number
    "real": [*_NOT_A_NUMBER, float("nan"), float("inf"), -float("inf")],
    "positive": [*_NOT_A_NUMBER, float("nan"), float("inf"), 0.0, -1.0],
    "nonnegative": [*_NOT_A_NUMBER, float("nan"), float("inf"), -1.0],
    "fraction": [*_NOT_A_NUMBER, float("nan"), 0.0, 1.0, -0.5, 1.5],
    "count": ["3", 2.5, None, OPAQUE, float("nan"), float("inf"), -1, 0, True],
    "index": ["3", 2.5, None, OPAQUE, float("nan"), -1, True],
    "counts": ["3", 3, None, OPAQUE, (), (0,), (2, -1), (2, True), (2.5,), (2, float("nan"))],
    "array": ["abc", np.array([[1 + 2j]]), None, OPAQUE, np.array([["a", "b"]])],
    "finite_array": ["abc", np.array([[1 + 2j]]), None, OPAQUE, np.array([[np.nan, 1.0], [0.0, 1.0]])],
    "choice": ["no-such-choice", 3, None],
    "rng": [0, None, "rng", np.random.RandomState(0)],
    "rngs": [[0], None, "rng", [np.random.RandomState(0)]],
    "flag": ["yes", None, 2],
    "widths": [None, "12-10", [12, 0, 2], [12, 2.5, 2], [12], [12, -1]],
}


@dataclass
class Spec:
    """One public function, a valid call, and the kind of each parameter that is fuzzed."""

    name: str
    fn: Callable
    valid: dict
    kinds: dict
    #: bad values that this parameter legitimately accepts (e.g. an array parameter that also takes a scalar)
    accepts: dict = field(default_factory=dict)
    owned: bool = True  # False: a module rewritten on another branch (failures are listed, xfail strict)


def _rng():
    return np.random.default_rng(0)


def _phi(z):
    from theory.normal_cdf import Phi

    return Phi(z)


@dataclass(frozen=True)
class Fresh:
    """A valid argument built anew for every call (generators, mutable lists)."""

    factory: Callable

    def __call__(self):
        return self.factory()


def build(kwargs: dict) -> dict:
    """The call's keyword arguments with every :class:`Fresh` value built."""
    return {k: (v() if isinstance(v, Fresh) else v) for k, v in kwargs.items()}


def specs() -> list[Spec]:
    """The table: every public function of the modules fuzzed, with a small valid call."""
    import sympy as sp

    from simulate import activations as s_act
    from simulate import (
        gradient_snr,
        linear_modes,
        linear_student,
        network,
        optimizers,
        parameters,
        saturation,
        schedules,
        three_neuron,
    )
    from simulate.data import szt, teacher
    from simulate.mi import adaptive_kde, binning, ebab, gaussian, kde, kraskov
    from theory import activations as t_act
    from theory import adaptive_binning, binning_edges, generalization, marchenko_pastur, mode_dynamics
    from theory import gaussian as t_gauss
    from theory import kde as t_kde
    from theory import three_neuron as t3
    from theory import three_neuron as t3l
    from theory import three_neuron_noise as t3n

    rng = np.random.default_rng(1)
    act = np.tanh(rng.normal(size=(16, 3)))
    labels = np.arange(16) % 2
    W = rng.normal(size=(2, 3))
    cov = np.eye(3)
    edges = np.linspace(-1, 1, 31)
    params = parameters.init_params((3, 4, 2), [np.random.default_rng(0)])
    X = rng.normal(size=(8, 3))
    Y = np.eye(2)[np.arange(8) % 2]
    fwd = network.forward(params, X, "tanh")
    lin_w = linear_student.init_weights((3, 2, 1), [np.random.default_rng(0)], 0.1)
    Xl, Yl = rng.normal(size=(1, 10, 3)), rng.normal(size=(1, 10, 1))
    grads = rng.normal(size=(6, 3, 2))
    act3 = np.tanh(rng.normal(size=(2, 5, 3)))
    t = np.array([0.0, 1.0, 5.0])
    mp = dict(alpha="positive")
    own = []
    add = own.append
    # ------------------------------------------------------------------ simulate.mi
    add(
        Spec(
            "binning.mutual_information",
            binning.mutual_information,
            dict(activity=act, labels=labels, discretizer=binning.equal_bins(30, -1, 1)),
            dict(activity="finite_array", labels="array", discretizer="array"),
        )
    )
    add(
        Spec(
            "binning.mutual_information_general",
            binning.mutual_information_general,
            dict(activity=act, labels=labels, discretizer=edges, inputs=np.arange(16) % 8),
            dict(activity="finite_array", labels="array", discretizer="array", inputs="array"),
            accepts=dict(inputs=["abc", np.array([["a", "b"]])]),
        )
    )
    add(
        Spec(
            "binning.entropy",
            binning.entropy,
            dict(symbols=[0, 0, 1, 2]),
            dict(symbols="array"),
            accepts=dict(symbols=["abc", np.array([[1 + 2j]]), np.array([["a", "b"]])]),
        )
    )
    add(
        Spec(
            "binning.equal_bins",
            binning.equal_bins,
            dict(n_bins=30, low=-1.0, high=1.0),
            dict(n_bins="count", low="real", high="real"),
        )
    )
    add(Spec("binning.idnns_edges", binning.idnns_edges, dict(n_edges=30), dict(n_edges="count")))
    add(Spec("binning.fixed_width", binning.fixed_width, dict(delta=0.07), dict(delta="positive")))
    add(
        Spec(
            "binning.min_max_bins",
            binning.min_max_bins,
            dict(low=0.0, high=2.0, n_bins=100),
            dict(low="real", high="real", n_bins="count"),
        )
    )
    add(
        Spec(
            "binning.min_max_range",
            binning.min_max_range,
            dict(minimum=np.zeros((3, 2)), maximum=np.ones((3, 2)), per_layer=False),
            dict(minimum="finite_array", maximum="finite_array", per_layer="flag"),
        )
    )
    add(Spec("binning.net_input_edges", binning.net_input_edges, dict(n_edges=30), dict(n_edges="count")))
    add(
        Spec(
            "kde.mutual_information_bounds",
            kde.mutual_information_bounds,
            dict(activity=act, labels=labels, noise_variance=0.1),
            dict(activity="finite_array", labels="array", noise_variance="positive"),
        )
    )
    add(
        Spec(
            "ebab.mutual_information",
            ebab.mutual_information,
            dict(activity=act, labels=labels, n_bins=30, count="unique"),
            dict(activity="finite_array", labels="array", n_bins="count", count="choice"),
        )
    )
    add(Spec("ebab.entropy_based_bins", ebab.entropy_based_bins, dict(n_bins=30), dict(n_bins="count")))
    add(
        Spec(
            "adaptive_kde.mutual_information_bounds",
            adaptive_kde.mutual_information_bounds,
            dict(activity=act, labels=labels, noise_scale=0.1, rule="max"),
            dict(activity="finite_array", labels="array", noise_scale="positive", rule="choice"),
        )
    )
    add(
        Spec(
            "adaptive_kde.adaptive_noise_variance",
            adaptive_kde.adaptive_noise_variance,
            dict(activity=act, noise_scale=0.1, rule="max_squared"),
            dict(activity="finite_array", noise_scale="positive", rule="choice"),
        )
    )
    add(
        Spec(
            "kde.mixture_entropy_bounds",
            kde.mixture_entropy_bounds,
            dict(centers=act, variance=0.1),
            dict(centers="finite_array", variance="positive"),
        )
    )
    add(
        Spec(
            "kraskov.entropy",
            kraskov.entropy,
            dict(activity=act, k=2, epsilon=1e-16),
            dict(activity="finite_array", k="count", epsilon="positive"),
        )
    )
    add(
        Spec(
            "kraskov.entropies",
            kraskov.entropies,
            dict(activity=act, ks=(1, 2, 4), epsilon=1e-16),
            dict(activity="finite_array", ks="counts", epsilon="positive"),
        )
    )
    add(
        Spec(
            "kraskov.neighbour_distances",
            kraskov.neighbour_distances,
            dict(activity=act, k=2),
            dict(activity="finite_array", k="count"),
        )
    )
    add(
        Spec(
            "gaussian.mutual_information",
            gaussian.mutual_information,
            dict(W=W, input_cov=cov, noise_variance=1.0),
            dict(W="finite_array", input_cov="finite_array", noise_variance="positive"),
        )
    )
    add(
        Spec(
            "gaussian.label_mutual_information",
            gaussian.label_mutual_information,
            dict(W=W, W_o=W[:1], input_cov=cov, output_noise_variance=0.5, noise_variance=1.0),
            dict(
                W="finite_array",
                W_o="finite_array",
                input_cov="finite_array",
                output_noise_variance="nonnegative",
                noise_variance="positive",
            ),
        )
    )
    add(
        Spec(
            "gaussian.subspace_mutual_information",
            gaussian.subspace_mutual_information,
            dict(W=W, input_cov=cov, noise_variance=1.0, subset=[0]),
            dict(W="finite_array", input_cov="finite_array", noise_variance="positive", subset="array"),
        )
    )
    add(Spec("gaussian.entropy", gaussian.entropy, dict(cov=cov), dict(cov="finite_array")))
    # ------------------------------------------------------------------ simulate, minimal model and saturation
    add(
        Spec(
            "three_neuron.monte_carlo_information",
            three_neuron.monte_carlo_information,
            dict(activation="tanh", w=[0.5, 2.0], edges=edges, n_samples=1000, rng=Fresh(_rng)),
            dict(activation="choice", w="finite_array", edges="finite_array", n_samples="count", rng="rng"),
        )
    )
    add(
        Spec(
            "three_neuron.bin_counts",
            three_neuron.bin_counts,
            dict(activation="relu", w=1.0, edges=edges, n_samples=500, rng=Fresh(_rng), space="net_input"),
            dict(
                activation="choice",
                w="finite_array",
                edges="finite_array",
                n_samples="count",
                rng="rng",
                space="choice",
            ),
        )
    )
    add(
        Spec(
            "three_neuron.plugin_entropy",
            three_neuron.plugin_entropy,
            dict(counts=np.array([5, 5, 0])),
            dict(counts="finite_array"),
        )
    )
    add(
        Spec(
            "three_neuron.plugin_entropy_stderr",
            three_neuron.plugin_entropy_stderr,
            dict(counts=np.array([5, 5, 0])),
            dict(counts="finite_array"),
        )
    )
    add(Spec("activations.get_activation", s_act.get_activation, dict(name="tanh"), dict(name="choice")))
    add(
        Spec(
            "saturation.histogram_edges",
            saturation.histogram_edges,
            dict(activation="relu", n_bins=30, upper=2.0),
            dict(activation="choice", n_bins="count", upper="positive"),
            accepts=dict(upper=[None]),
        )
    )
    add(
        Spec(
            "saturation.activity_histogram",
            saturation.activity_histogram,
            dict(activity=act3, edges=edges),
            dict(activity="finite_array", edges="finite_array"),
        )
    )
    add(
        Spec(
            "saturation.extreme_bin_fraction",
            saturation.extreme_bin_fraction,
            dict(activity=act3, n_bins=30),
            dict(activity="finite_array", n_bins="count"),
        )
    )
    add(Spec("saturation.zero_fraction", saturation.zero_fraction, dict(activity=act3), dict(activity="finite_array")))
    # ------------------------------------------------------------------ simulate, training building blocks
    add(Spec("schedules.ibsgd_logged_epochs", schedules.ibsgd_logged_epochs, dict(epochs=100), dict(epochs="count")))
    add(
        Spec(
            "schedules.log_spaced_epochs",
            schedules.log_spaced_epochs,
            dict(epochs=100, n=10),
            dict(epochs="count", n="count"),
        )
    )
    add(
        Spec(
            "schedules.check_logged_epochs",
            schedules.check_logged_epochs,
            dict(logged_epochs=[0, 5, 10], epochs=10),
            dict(logged_epochs="array", epochs="count"),
        )
    )
    add(
        Spec(
            "optimizers.make_optimizer",
            optimizers.make_optimizer,
            dict(name="adam", learning_rate=1e-3),
            dict(name="choice", learning_rate="positive"),
            accepts=dict(learning_rate=[None]),
        )
    )
    add(
        Spec(
            "parameters.init_params",
            parameters.init_params,
            dict(widths=(3, 4, 2), rngs=Fresh(lambda: [_rng()]), scheme="ibsgd"),
            dict(widths="widths", rngs="rngs", scheme="choice"),
        )
    )
    add(Spec("parameters.n_parameters", parameters.n_parameters, dict(widths=(3, 4, 2)), dict(widths="widths")))
    add(
        Spec(
            "parameters.params_from_flat",
            parameters.params_from_flat,
            dict(flat=parameters.flatten(params)[0], widths=(3, 4, 2)),
            dict(flat="finite_array", widths="widths"),
        )
    )
    add(
        Spec(
            "data.szt.train_test_split",
            szt.train_test_split,
            dict(n=100, train_fraction=0.8, rng=Fresh(_rng)),
            dict(n="count", train_fraction="fraction", rng="rng"),
        )
    )
    add(
        Spec(
            "data.teacher.teacher_student_data",
            teacher.teacher_student_data,
            dict(n_inputs=5, n_samples=20, rng=Fresh(_rng), n_outputs=1, sigma_w2=1.0, snr=1.0, n_irrelevant=0),
            dict(
                n_inputs="count",
                n_samples="count",
                rng="rng",
                n_outputs="count",
                sigma_w2="positive",
                snr="positive",
                n_irrelevant="index",
            ),
        )
    )
    add(
        Spec(
            "linear_modes.whitened_task",
            linear_modes.whitened_task,
            dict(singular_values=[3.0, 1.0], n_inputs=4, n_samples=8, rng=Fresh(_rng)),
            dict(singular_values="finite_array", n_inputs="count", n_samples="count", rng="rng"),
        )
    )
    add(
        Spec(
            "network.forward",
            network.forward,
            dict(params=params, X=X, activation="tanh"),
            dict(X="finite_array", activation="choice"),
        )
    )
    add(Spec("network.cross_entropy", network.cross_entropy, dict(forward_pass=fwd, Y=Y), dict(Y="finite_array")))
    add(Spec("network.accuracy", network.accuracy, dict(forward_pass=fwd, Y=Y), dict(Y="finite_array")))
    add(
        Spec(
            "gradient_snr.gradient_statistics",
            gradient_snr.gradient_statistics,
            dict(gradients=grads, n_weight_axes=2),
            dict(gradients="finite_array", n_weight_axes="count"),
        )
    )
    add(
        Spec(
            "linear_student.init_weights",
            linear_student.init_weights,
            dict(widths=(3, 2, 1), rngs=Fresh(lambda: [_rng()]), init_scale=0.1),
            dict(widths="widths", rngs="rngs", init_scale="nonnegative"),
        )
    )
    add(
        Spec(
            "linear_student.gradients",
            linear_student.gradients,
            dict(weights=lin_w, X=Xl, Y=Yl, scale=1.0),
            dict(X="finite_array", Y="finite_array", scale="positive"),
        )
    )
    # ------------------------------------------------------------------ theory (owned here)
    add(
        Spec(
            "theory.adaptive_binning.population_edges",
            adaptive_binning.population_edges,
            dict(activation="tanh", w=1.0, n_bins=30, count="values"),
            dict(activation="choice", w="positive", n_bins="count", count="choice"),
        )
    )
    add(
        Spec(
            "theory.adaptive_binning.population_information",
            adaptive_binning.population_information,
            dict(activation="relu", n_bins=30, count="unique"),
            dict(activation="choice", n_bins="count", count="choice"),
        )
    )
    add(
        Spec(
            "theory.binning_edges.equal_width_edges",
            binning_edges.equal_width_edges,
            dict(n_bins=30, low=-1.0, high=1.0, exact=False),
            dict(n_bins="count", low="real", high="real", exact="flag"),
        )
    )
    add(
        Spec(
            "theory.binning_edges.idnn_edges",
            binning_edges.idnn_edges,
            dict(n_edges=30, exact=False),
            dict(n_edges="count", exact="flag"),
        )
    )
    add(
        Spec(
            "theory.binning_edges.half_line_edges",
            binning_edges.half_line_edges,
            dict(delta=2 / 29, w_max=10.0, z_max=10.0, exact=False),
            dict(delta="positive", w_max="positive", z_max="positive", exact="flag"),
        )
    )
    add(
        Spec(
            "theory.binning_edges.net_input_edges",
            binning_edges.net_input_edges,
            dict(n_edges=30, u_max=50.0, exact=False),
            dict(n_edges="count", u_max="positive", exact="flag"),
        )
    )
    add(
        Spec(
            "theory.gaussian.mutual_information",
            t_gauss.mutual_information,
            dict(W=W, input_cov=cov, noise_variance=1.0, dps=20),
            dict(W="finite_array", input_cov="finite_array", noise_variance="positive", dps="count"),
        )
    )
    add(
        Spec(
            "theory.gaussian.label_mutual_information",
            t_gauss.label_mutual_information,
            dict(W=W, W_o=W[:1], input_cov=cov, output_noise_variance=0.5, noise_variance=1.0, dps=20),
            dict(
                W="finite_array",
                W_o="finite_array",
                input_cov="finite_array",
                output_noise_variance="nonnegative",
                noise_variance="positive",
                dps="count",
            ),
        )
    )
    add(
        Spec(
            "theory.gaussian.subspace_mutual_information",
            t_gauss.subspace_mutual_information,
            dict(W=W, input_cov=cov, noise_variance=1.0, subset=[0], dps=20),
            dict(W="finite_array", input_cov="finite_array", noise_variance="positive", subset="array"),
        )
    )
    add(Spec("theory.gaussian.entropy_expr", t_gauss.entropy_expr, dict(cov=sp.eye(2)), dict(cov="array")))
    add(
        Spec(
            "theory.gaussian.mutual_information_expr",
            t_gauss.mutual_information_expr,
            dict(W=sp.Matrix([[1, 0]]), Sigma_x=sp.eye(2), sigma2=sp.Rational(1, 2)),
            dict(W="array", Sigma_x="array", sigma2="real"),
            accepts=dict(sigma2=[float("inf"), -float("inf")]),
        )
    )
    add(
        Spec(
            "theory.kde.explicit_upper_bound",
            t_kde.explicit_upper_bound,
            dict(distances=sp.Matrix([[0, 1], [1, 0]]), noise_variance=sp.Rational(1, 2)),
            dict(distances="array", noise_variance="positive"),
            accepts=dict(noise_variance=[float("inf")]),
        )
    )
    add(
        Spec(
            "theory.kde.mixture_entropy",
            t_kde.mixture_entropy,
            dict(centers=[[0.0], [1.0]], variance=0.5),
            dict(centers="finite_array", variance="positive"),
        )
    )
    add(
        Spec(
            "theory.normal_cdf.Phi",
            _phi,
            dict(z=0.5),
            dict(z="real"),
            accepts=dict(z=[1 + 2j, float("inf"), -float("inf")]),
        )
    )
    add(Spec("theory.kde.label_estimate_expr", t_kde.label_estimate_expr, dict(n_classes=2), dict(n_classes="count")))
    # ------------------------------------------------------------------ theory (rewritten on branch issue-13)
    others = [
        Spec("theory.activations.get_activation", t_act.get_activation, dict(name="tanh"), dict(name="choice")),
        Spec(
            "theory.three_neuron.mutual_information",
            t3.mutual_information,
            dict(activation="tanh", w=[0.5, 2.0], edges=edges, precision=None),
            dict(activation="choice", w="finite_array", edges="finite_array", precision="count"),
            accepts=dict(precision=[None]),
        ),
        Spec(
            "theory.three_neuron.argmax_weight",
            t3l.argmax_weight,
            dict(activation="tanh", edges=edges, search=(0.01, 1000.0), precision=15),
            dict(activation="choice", edges="finite_array", precision="count"),
        ),
        Spec(
            "theory.three_neuron.relu_asymptote",
            t3l.relu_asymptote,
            dict(w=10.0, delta=2 / 29),
            dict(w="finite_array", delta="positive"),
        ),
        Spec(
            "theory.three_neuron_noise.noisy_mutual_information",
            t3n.noisy_mutual_information,
            dict(activation="tanh", w=1.0, sigma=0.1, per_sigma=8),
            dict(activation="choice", w="finite_array", sigma="positive", per_sigma="count"),
        ),
        Spec(
            "theory.generalization.generalization_error",
            generalization.generalization_error,
            dict(t=t, alpha=1.0, sigma_w2=1.0, sigma_eps2=1.0),
            dict(t="finite_array", alpha="positive", sigma_w2="nonnegative", sigma_eps2="nonnegative"),
        ),
        Spec(
            "theory.generalization.optimal_stopping_time",
            generalization.optimal_stopping_time,
            dict(alpha=1.0, sigma_w2=1.0, sigma_eps2=1.0),
            dict(alpha="positive", sigma_w2="positive", sigma_eps2="nonnegative"),
        ),
        Spec(
            "theory.marchenko_pastur.marchenko_pastur_density",
            marchenko_pastur.marchenko_pastur_density,
            dict(lam=np.array([0.5, 1.0]), alpha=2.0),
            dict(lam="finite_array", **mp),
        ),
        Spec(
            "theory.marchenko_pastur.inverse_eigenvalue_mean",
            marchenko_pastur.inverse_eigenvalue_mean,
            dict(alpha=2.0),
            mp,
        ),
        Spec(
            "theory.mode_dynamics.balanced_mode_strength",
            mode_dynamics.balanced_mode_strength,
            dict(t=t, s=2.0, u0=0.01, tau=1.0),
            dict(t="finite_array", s="positive", u0="positive", tau="positive"),
        ),
        Spec(
            "theory.mode_dynamics.balanced_learning_time",
            mode_dynamics.balanced_learning_time,
            dict(s=2.0, u0=0.01, uf=1.0, tau=1.0),
            dict(s="positive", u0="positive", uf="positive", tau="positive"),
        ),
        Spec(
            "theory.mode_dynamics.deep_mode_strength",
            mode_dynamics.deep_mode_strength,
            dict(t=t, s=2.0, u0=0.01, n_layers=3, tau=1.0),
            dict(t="finite_array", s="positive", u0="positive", n_layers="count", tau="positive"),
        ),
    ]
    for spec in others:
        spec.owned = False
    return own + others
