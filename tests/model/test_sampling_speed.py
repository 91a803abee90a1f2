"""The fast sampling path keeps the draws of ``scipy.stats.qmc`` (same seed -> same numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import qmc

from s400lab.model import load_register
from s400lab.model.sampling import drawn_switches, latin_hypercube, sample, transform

REG = load_register()


@pytest.mark.parametrize(("n", "d", "seed"), [(1, 1, 0), (7, 3, 1), (1000, 29, 2), (5, 0, 3)])
def test_latin_hypercube_is_scipys(n, d, seed):
    expected = qmc.LatinHypercube(d=d, rng=np.random.default_rng(seed)).random(n).T
    got = latin_hypercube(np.random.default_rng(seed), n, d)
    assert got.shape == (d, n) and got.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(got, expected)


def _reference_sample(n: int, seed: int, method: str) -> pd.DataFrame:
    """The draws as the register defines them, column by column (the pre-block code path)."""
    names = list(REG.drawn) + drawn_switches(REG)
    rng = np.random.default_rng(seed)
    if method == "lhs":
        u = qmc.LatinHypercube(d=len(names), rng=rng).random(n)
    else:
        u = rng.random((n, len(names)))
    cols = {nm: transform(REG.params[nm], u[:, j], None, REG) for j, nm in enumerate(names)}
    return pd.DataFrame(cols, index=pd.RangeIndex(n, name="draw"))


@pytest.mark.parametrize("method", ["lhs", "mc"])
@pytest.mark.parametrize("seed", [1, 42])
def test_sample_keeps_the_seeded_draws(method, seed):
    names = list(REG.drawn) + drawn_switches(REG)
    got = sample(REG, 3000, seed=seed, method=method, names=names)
    pd.testing.assert_frame_equal(got, _reference_sample(3000, seed, method), check_exact=True)
    assert got.columns.tolist() == names
