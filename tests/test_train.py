"""Training loop: determinism, seeds as a batch axis, stored parameters, optimisers, logging schedules, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import xarray as xr

from simulate.data.szt import load_szt, train_test_split
from simulate.network import cross_entropy, flatten, forward, init_params, params_from_flat
from simulate.optimizers import SGD, Adam, make_optimizer
from simulate.schedules import check_logged_epochs, ibsgd_logged_epochs, log_spaced_epochs
from simulate.train import DivergenceError, TrainingData, train

SZT_WIDTHS = (12, 10, 7, 5, 4, 3, 2)
# Batched BLAS calls on a stack of matrices and a single matrix may sum in a different order: agreement to a few
# ulps of O(1) numbers after a few hundred updates.
BATCH_AGREEMENT_ATOL = 1e-10


def _szt_data(seeds, fraction=0.8):
    d = load_szt()
    splits = [train_test_split(4096, fraction, np.random.default_rng([s, 1])) for s in seeds]
    tr = np.stack([s.train for s in splits])
    te = np.stack([s.test for s in splits])
    return TrainingData(d.X[tr], d.Y[tr], d.X[te], d.Y[te], d.X, d.y)


def _run(seeds, epochs=5, activation="tanh", **kwargs):
    data = kwargs.pop("data", None) or _szt_data(seeds)
    params = init_params(SZT_WIDTHS, [np.random.default_rng([s, 2]) for s in seeds])
    rngs = [np.random.default_rng([s, 3]) for s in seeds]
    kwargs.setdefault("logged_epochs", ibsgd_logged_epochs(epochs))
    return train(params, activation, data, rngs, epochs=epochs, seeds=seeds, **kwargs)


def test_same_seed_same_result():
    a, b = _run((0, 1)), _run((0, 1))
    xr.testing.assert_identical(a, b)  # every variable, the stored parameters included, bit for bit
    assert "parameters" in a
    c = _run((0, 2))
    assert not np.array_equal(a.parameters.sel(seed=1), c.parameters.sel(seed=2))


def test_a_seed_trains_the_same_alone_or_batched():
    batch = _run((3, 4, 5), epochs=4)
    alone = _run((4,), epochs=4)
    np.testing.assert_allclose(
        batch.train_loss.sel(seed=4).values, alone.train_loss.sel(seed=4).values, atol=BATCH_AGREEMENT_ATOL
    )
    np.testing.assert_allclose(
        batch.parameters.sel(seed=4).values, alone.parameters.sel(seed=4).values, atol=BATCH_AGREEMENT_ATOL
    )


def test_a_run_does_not_depend_on_the_callers_blas_threads():
    # The MNIST network's first layer (784 × 1024, a BLAS product): OpenBLAS rounds a 128 × 784 by 784 × 1024
    # float32 product differently with one and with two threads (checked with np.matmul on 2026-12-02), so
    # without the pin in train() the two runs below differ in their last bits.
    threadpoolctl = pytest.importorskip("threadpoolctl")
    rng = np.random.default_rng(7)
    X = rng.standard_normal((256, 784))
    Y = np.eye(10)[rng.integers(0, 10, 256)]
    data = TrainingData(X, Y, X[:64], Y[:64], X[:64], Y[:64].argmax(axis=1))
    widths = (784, 1024, 10)

    def run():
        params = init_params(widths, [np.random.default_rng([0, 2])])
        return train(
            params,
            "relu",
            data,
            [np.random.default_rng([0, 3])],
            epochs=1,
            logged_epochs=[0, 1],
            batch_size=128,
            optimizer="sgd",
            dtype="float32",
        )

    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        one = run()
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        before = threadpoolctl.threadpool_info()
        two = run()
        after = threadpoolctl.threadpool_info()
    xr.testing.assert_identical(one, two)
    assert after == before  # the caller's setting is restored


def test_dataset_layout_and_learning():
    ds = _run((0, 1), epochs=30)
    assert ds.train_loss.dims == ("seed", "epoch")
    assert ds.weight_norm.dims == ("seed", "epoch", "layer")
    assert list(ds.layer.values) == [1, 2, 3, 4, 5, 6]
    assert tuple(ds.epoch.values) == ibsgd_logged_epochs(30)
    # Adam at lr 4e-4 lowers the loss from ≈ ln 2 within 30 epochs (ibsgd's log: 0.696 at epoch 1).
    assert np.all(ds.train_loss.isel(epoch=-1) < ds.train_loss.isel(epoch=0) - 0.05)
    assert np.all(ds.train_accuracy.isel(epoch=-1) > 0.7)
    assert ds.attrs["activation"] == "tanh" and ds.attrs["batch_size"] == 256


def test_full_batch_and_single_example_batches():
    d = load_szt()
    idx = np.arange(0, 4096, 64)  # 64 patterns
    data = TrainingData(d.X[idx], d.Y[idx], d.X[idx], d.Y[idx], d.X[idx], d.y[idx])
    bgd = _run((0,), epochs=3, data=data, batch_size=64, logged_epochs=(0, 3))
    sgd = _run((0,), epochs=3, data=data, batch_size=1, logged_epochs=(0, 3), activation="relu")
    for ds in (bgd, sgd):
        assert ds.train_loss.isel(epoch=-1).item() < ds.train_loss.isel(epoch=0).item()


def test_l2_penalty_adds_its_gradient_to_the_kernels_only():
    # One full-batch SGD step: θ₁ = θ₀ − lr·(∇CE + 2λW·[kernel]), so the penalised and unpenalised steps differ by
    # exactly lr·2λ·W₀ on the kernel entries and not at all on the biases.
    d = load_szt()
    idx = np.arange(0, 4096, 64)
    data = TrainingData(d.X[idx], d.Y[idx], d.X[idx], d.Y[idx], d.X[idx], d.y[idx])
    lr, lam = 0.1, 0.05
    kw = {"epochs": 1, "data": data, "batch_size": 64, "logged_epochs": (0, 1), "optimizer": "sgd", "learning_rate": lr}
    plain, penalised = _run((0,), **kw), _run((0,), l2=lam, **kw)
    start = params_from_flat(plain.parameters.isel(epoch=0).values, SZT_WIDTHS)
    a = params_from_flat(plain.parameters.isel(epoch=1).values, SZT_WIDTHS)
    b = params_from_flat(penalised.parameters.isel(epoch=1).values, SZT_WIDTHS)
    for w0, wa, wb in zip(start.W, a.W, b.W):
        np.testing.assert_allclose(wa - wb, lr * 2 * lam * w0, atol=BATCH_AGREEMENT_ATOL)
    for ba, bb in zip(a.b, b.b):
        np.testing.assert_allclose(ba, bb, atol=BATCH_AGREEMENT_ATOL)
    assert penalised.attrs["l2"] == lam and plain.attrs["l2"] == 0.0
    # Over training the penalty keeps every kernel smaller (Adam, the SZT default).
    free, held = _run((0, 1), epochs=20), _run((0, 1), epochs=20, l2=1e-2)
    assert np.all(held.weight_norm.isel(epoch=-1) < free.weight_norm.isel(epoch=-1))


def test_stored_parameters_rebuild_the_logged_networks(tmp_path):
    ds = _run((0, 1), epochs=3, logged_epochs=(0, 2, 3))
    assert ds.parameters.dims == ("seed", "epoch", "parameter") and ds.parameters.dtype == np.float64
    data = _szt_data((0, 1))
    initial = init_params(SZT_WIDTHS, [np.random.default_rng([s, 2]) for s in (0, 1)])
    np.testing.assert_array_equal(ds.parameters.sel(epoch=0), flatten(initial))  # epoch 0: before training
    for epoch in ds.epoch.values:
        params = params_from_flat(ds.parameters.sel(epoch=epoch).values, SZT_WIDTHS)
        train_loss = cross_entropy(forward(params, data.X_train, "tanh"), data.Y_train)
        test_loss = cross_entropy(forward(params, data.X_test, "tanh"), data.Y_test)
        np.testing.assert_allclose(train_loss, ds.train_loss.sel(epoch=epoch).values, rtol=1e-12)
        np.testing.assert_allclose(test_loss, ds.test_loss.sel(epoch=epoch).values, rtol=1e-12)
        norms = [np.sqrt((W * W).sum(axis=(1, 2))) for W in params.W]
        np.testing.assert_allclose(np.stack(norms, axis=1), ds.weight_norm.sel(epoch=epoch).values, rtol=1e-12)
    assert not np.array_equal(ds.parameters.sel(epoch=2), ds.parameters.sel(epoch=3))
    path = tmp_path / "run.nc"
    ds.to_netcdf(path, engine="h5netcdf")
    xr.testing.assert_identical(xr.load_dataset(path, engine="h5netcdf"), ds)


def test_float32_training_stores_float32_parameters_exactly():
    ds = _run((0, 1), epochs=3, logged_epochs=(0, 1, 3), dtype="float32")
    assert ds.parameters.dtype == np.float32
    initial = init_params(SZT_WIDTHS, [np.random.default_rng([s, 2]) for s in (0, 1)])
    np.testing.assert_array_equal(ds.parameters.sel(epoch=0), flatten(initial).astype(np.float32))
    # the stored float32 numbers are the trained network: widened exactly, they give the stored float64 losses
    data = _szt_data((0, 1))
    for epoch in ds.epoch.values:
        params = params_from_flat(ds.parameters.sel(epoch=epoch).values.astype(np.float64), SZT_WIDTHS)
        loss = cross_entropy(forward(params, data.X_train, "tanh"), data.Y_train)
        np.testing.assert_allclose(loss, ds.train_loss.sel(epoch=epoch).values, rtol=1e-12)


def test_divergence_names_epoch_and_seed():
    with pytest.raises(DivergenceError, match=r"epoch \d+ for seed 7"):
        _run((7,), epochs=50, activation="relu", optimizer="sgd", learning_rate=1e200, logged_epochs=(0, 50))


def test_adam_first_steps_match_hand_computation():
    opt = Adam(learning_rate=0.1)
    theta = np.array([[1.0, -2.0]])
    g = np.array([[0.5, -4.0]])
    opt.step(theta, g)
    # first Adam step moves each coordinate by lr·sign(g) (up to ε): m̂ = g, v̂ = g²
    np.testing.assert_allclose(theta, [[0.9, -1.9]], atol=1e-7)
    opt.step(theta, g)
    np.testing.assert_allclose(theta, [[0.8, -1.8]], atol=1e-7)


def test_sgd_converges_on_a_quadratic():
    opt = SGD(learning_rate=0.1)
    theta = np.array([[3.0]])
    for _ in range(200):
        opt.step(theta, 2 * theta)
    assert abs(theta[0, 0]) < 1e-12


def test_schedules():
    assert ibsgd_logged_epochs(10000)[:22] == (*range(20), 20, 25)
    assert ibsgd_logged_epochs(10000)[-3:] == (9800, 9900, 10000)
    assert ibsgd_logged_epochs(1) == (0, 1)
    e = log_spaced_epochs(10000, 50)
    assert e[0] == 0 and e[-1] == 10000 and all(b > a for a, b in itertools.pairwise(e))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"batch_size": 5000}, "batch_size"),
        ({"batch_size": 0}, "batch_size"),
        ({"epochs": 0}, "epochs"),
        ({"logged_epochs": (0, 3, 2)}, "logged_epochs"),
        ({"logged_epochs": (0, 99)}, "logged_epochs"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"activation": "sigmoid"}, "activation"),
        ({"dtype": "float16"}, "dtype"),
        ({"l2": -1e-3}, "l2"),
        ({"l2": float("nan")}, "l2"),
        ({"l2": True}, "l2"),
    ],
)
def test_bad_training_arguments(kwargs, match):
    kwargs.setdefault("logged_epochs", (0, 1))
    with pytest.raises(ValueError, match=match):
        _run((0,), epochs=kwargs.pop("epochs", 1), **kwargs)


def test_bad_optimizer_and_schedule_arguments():
    with pytest.raises(ValueError, match="optimizer"):
        make_optimizer("adagrad")
    with pytest.raises(ValueError, match="epochs"):
        ibsgd_logged_epochs(0)
    with pytest.raises(ValueError, match="logged_epochs"):
        check_logged_epochs((), 10)
    with pytest.raises(ValueError, match="rngs"):
        train(
            init_params(SZT_WIDTHS, [np.random.default_rng(0)]),
            "tanh",
            _szt_data((0,)),
            [],
            epochs=1,
            logged_epochs=(0, 1),
        )


def test_bad_training_data():
    d = load_szt()
    with pytest.raises(ValueError, match="X_train"):
        TrainingData(np.full((3, 12), np.nan), d.Y[:3], d.X, d.Y, d.X, d.y)
    with pytest.raises(ValueError, match="y_mi"):
        TrainingData(d.X, d.Y, d.X, d.Y, d.X, d.y[:5])
    with pytest.raises(ValueError, match="disagree"):
        TrainingData(d.X, d.Y[:5], d.X, d.Y, d.X, d.y)


# float32 rounding (ε ≈ 6e-8) accumulated over a few hundred Adam steps moves the loss by far less than 1e-3 nats.
FLOAT32_LOSS_ATOL = 1e-3


def test_float32_training_tracks_float64():
    a = _run((0, 1), epochs=5, logged_epochs=(0, 5))
    b = _run((0, 1), epochs=5, logged_epochs=(0, 5), dtype="float32")
    assert b.attrs["dtype"] == "float32" and b.train_loss.dtype == np.float64
    np.testing.assert_allclose(a.train_loss, b.train_loss, atol=FLOAT32_LOSS_ATOL)
