"""The trade-off ranking's numpy paths give exactly what the plain pandas computation gives
(the code notebook 50 ran before): same scores to the last bit, same ranks, same order, same
robustness shares and mean ranks for the same seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from s400lab.analysis import tradeoffs as tr


def _plain_weights(weights, cols) -> pd.Series:
    w = pd.Series({c: weights.get(c, 0.0) for c in cols}, dtype=float)
    return w / w.sum()


def _plain_rank(normalised: pd.DataFrame, weights) -> pd.DataFrame:
    score = (normalised * _plain_weights(weights, normalised.columns)).sum(axis=1).rename("score").round(12)
    out = pd.DataFrame({"score": score, "rank": score.rank(ascending=False, method="min").astype(int)})
    return out.sort_values("rank", kind="stable")


def _plain_robustness(normalised, n, seed, around, concentration=20.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    k = normalised.shape[1]
    if around is None:
        alpha = np.ones(k)
    else:
        alpha = concentration * _plain_weights(around, normalised.columns).to_numpy() + 1e-3
    w = rng.dirichlet(alpha, size=n)
    s = w @ normalised.to_numpy(dtype=float).T
    top = s >= s.max(axis=1, keepdims=True) - 1e-12
    share = (top / top.sum(axis=1, keepdims=True)).mean(axis=0)
    ranks = 1 + (s[:, None, :] > s[:, :, None] + 1e-12).sum(axis=2)
    out = pd.DataFrame({"share_first": share, "mean_rank": ranks.mean(axis=0)}, index=normalised.index)
    return out.sort_values(["share_first", "mean_rank"], ascending=[False, True])


def _case(draw_values, n_opt, n_crit, weights):
    cols = [f"c{j}" for j in range(n_crit)]
    idx = pd.Index([f"o{i}" for i in range(n_opt)], name="option")
    normalised = pd.DataFrame(draw_values.reshape(n_opt, n_crit), index=idx, columns=cols)
    return normalised, dict(zip(cols, weights[:n_crit], strict=True))


CASES = st.integers(1, 12).flatmap(
    lambda n_opt: st.integers(1, 11).flatmap(
        lambda n_crit: st.tuples(
            st.just(n_opt),
            st.just(n_crit),
            # scores in [0, 1]; a few levels make exact ties (equal options) common
            arrays(np.float64, n_opt * n_crit, elements=st.floats(0, 1) | st.sampled_from([0.0, 0.5, 1.0])),
            st.lists(st.integers(0, 10) | st.floats(0, 10), min_size=n_crit, max_size=n_crit).filter(
                lambda w: sum(w) > 0
            ),
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(CASES)
def test_rank_and_scores_equal_the_pandas_computation(case):
    n_opt, n_crit, values, weights = case
    normalised, w = _case(values, n_opt, n_crit, weights)
    pd.testing.assert_frame_equal(
        tr.rank_options(normalised, w), _plain_rank(normalised, w), check_exact=True
    )
    plain_scores = (normalised * _plain_weights(w, normalised.columns)).sum(axis=1).rename("score")
    pd.testing.assert_series_equal(tr.weighted_scores(normalised, w), plain_scores, check_exact=True)
    pd.testing.assert_series_equal(
        tr.check_weights(w, normalised.columns), _plain_weights(w, normalised.columns), check_exact=True
    )


@settings(max_examples=60, deadline=None)
@given(CASES, st.integers(0, 2**32 - 1), st.booleans())
def test_robustness_equals_the_pandas_computation(case, seed, around):
    n_opt, n_crit, values, weights = case
    normalised, w = _case(values, n_opt, n_crit, weights)
    got = tr.weight_robustness(normalised, n=500, seed=seed, around=w if around else None)
    want = _plain_robustness(normalised, 500, seed, w if around else None)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_notebook_50_matrix_under_its_default_and_skewed_weights():
    matrix, _ = tr.preset_matrix()
    normalised = tr.normalise(matrix)
    for weights in ({c: 5.0 for c in matrix.columns}, tr.stakeholder_weights("India")):
        pd.testing.assert_frame_equal(
            tr.rank_options(normalised, weights), _plain_rank(normalised, weights), check_exact=True
        )
        pd.testing.assert_frame_equal(
            tr.weight_robustness(normalised, n=4000, seed=0, around=weights),
            _plain_robustness(normalised, 4000, 0, weights),
            check_exact=True,
        )


@pytest.mark.parametrize(
    ("weights", "match"),
    [({"x": 1}, "unknown criteria"), ({"c0": -1}, "finite and >= 0"), ({"c0": 0}, "at least one")],
)
def test_bad_weights_keep_their_messages(weights, match):
    normalised = pd.DataFrame({"c0": [0.0, 1.0]})
    with pytest.raises(ValueError, match=match):
        tr.rank_options(normalised, weights)
