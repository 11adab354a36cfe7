"""Every stored variable has units and a long name; names follow one convention per quantity."""

from __future__ import annotations

import pytest
import xarray as xr

from paper_checks.variables import VARIABLES, annotate, describe_variable


@pytest.mark.parametrize(
    ("name", "units", "fragment"),
    [
        ("I_XT_bin", "bits", "I(X;T)"),
        ("I_TY_netinput", "bits", "net-input binning"),
        ("I_XT_upper_kde", "bits", "upper bound on I(X;T), KDE"),
        ("I_TY_lower_kde", "bits", "lower estimate of I(T;Y)"),
        ("H_kraskov", "bits", "Kraskov"),
        ("train_loss", "nats", "cross-entropy"),
        ("grad_snr", "1", "per sample"),
        ("grad_batch_snr", "1", "per minibatch"),
        ("weight_norm", "1", "Frobenius"),
    ],
)
def test_known_variables_are_described(name: str, units: str, fragment: str) -> None:
    found_units, long_name = describe_variable(name)
    assert found_units == units and fragment in long_name


def test_an_undescribed_variable_cannot_be_stored() -> None:
    with pytest.raises(KeyError, match="no units/long_name"):
        describe_variable("I_YT")  # the old name of I(T;Y) in the linear family: one name per quantity
    with pytest.raises(KeyError, match="mystery"):
        annotate(xr.Dataset({"mystery": ("x", [1.0])}))


def test_own_descriptions_are_kept() -> None:
    ds = xr.Dataset({"curve": ("x", [1.0])})
    ds["curve"].attrs.update(units="bits", long_name="my curve")
    assert annotate(ds)["curve"].attrs == {"units": "bits", "long_name": "my curve"}


def test_information_is_in_bits_everywhere() -> None:
    for pattern, units, _ in VARIABLES:
        if pattern.startswith(("I_", "H_")):
            assert units == "bits", pattern
