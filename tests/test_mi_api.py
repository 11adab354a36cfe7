"""Every public name of the estimator packages exists and is documented (one test imports every public name)."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "simulate.mi",
    "simulate.mi.binning",
    "simulate.mi.discretizers",
    "simulate.mi.gaussian",
    "simulate.mi.kde",
    "simulate.mi.kde_reference",
    "simulate.mi.kraskov",
    "theory.gaussian",
    "theory.gaussian_numeric",
    "theory.kde",
]


@pytest.mark.parametrize("name", MODULES)
def test_public_names_exist_and_have_docstrings(name):
    module = importlib.import_module(name)
    assert module.__doc__
    for public in module.__all__:
        obj = getattr(module, public)
        if callable(obj):
            assert obj.__doc__, f"{name}.{public} has no docstring"
