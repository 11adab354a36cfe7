"""Run profiles, and MNIST at the paper profile: reduced by default, full only with full MNIST (issue 12)."""

from __future__ import annotations

import pytest

from paper_checks.experiments.mnist import (
    FULL_MNIST_TRAIN,
    PAPER_REDUCED_EPOCHS,
    MNISTRun,
    mnist_training_data,
)
from paper_checks.profiles import FAST, PAPER, PAPER_FULL_MNIST, Profile, get_profile
from simulate.schedules import ibsgd_logged_epochs


def test_get_profile_names_and_mnist_sizes() -> None:
    assert get_profile("fast") is FAST and get_profile("paper") is PAPER
    assert get_profile("paper", "full") == PAPER_FULL_MNIST
    with pytest.raises(ValueError, match="profile must be one of"):
        get_profile("huge")
    with pytest.raises(ValueError, match="mnist must be one of"):
        Profile("paper", mnist="tiny")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="paper-profile setting"):
        get_profile("fast", "full")


def test_paper_profile_mnist_keeps_the_papers_optimiser_on_reduced_data() -> None:
    run = MNISTRun.for_profile(PAPER, "tanh")
    assert (run.learning_rate, run.batch_size) == (0.001, 128), "the paper's SGD step and batch"
    assert (run.n_train, run.n_mi, run.epochs) == (8000, 2000, PAPER_REDUCED_EPOCHS)
    assert run.logged_epochs == ibsgd_logged_epochs(PAPER_REDUCED_EPOCHS), "the paper's logging schedule"
    full = MNISTRun.for_profile(PAPER_FULL_MNIST, "relu")
    assert (full.n_train, full.n_mi, full.epochs, full.learning_rate) == (None, None, 10_000, 0.001)
    assert full.scope is None and "reduced data and epochs" in run.scope


def test_paper_size_mnist_without_full_mnist_names_mnist_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    subset = MNISTRun.for_profile(FAST, "tanh")
    data, _ = mnist_training_data(subset)  # the shipped subset is available to the tests
    assert data.n_train < FULL_MNIST_TRAIN
    full = MNISTRun.for_profile(PAPER_FULL_MNIST, "tanh")
    with pytest.raises(ValueError, match=r"needs full MNIST.*MNIST_DIR.*CPU-hours"):
        mnist_training_data(full)


def test_paper_size_mnist_with_an_empty_mnist_dir_fails_before_any_work(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(ValueError, match=r"paper-size MNIST needs full MNIST: set MNIST_DIR.*no MNIST IDX files"):
        mnist_training_data(MNISTRun.for_profile(PAPER_FULL_MNIST, "relu"))
