"""Hypothesis strategies shared by the test modules (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import math

from hypothesis import strategies as st


def register_value(p):
    """Any value the parameter register accepts for parameter ``p`` (a model Parameter)."""
    if p.type == "choice":
        return st.sampled_from(p.choices)
    if p.discrete_values:  # e.g. Turkiye's holding: 2 or 4 battalions only
        return st.sampled_from(p.discrete_values).map(int if p.type == "int" else float)
    if p.type == "bool":
        return st.booleans()
    if p.type == "int":
        return st.integers(int(p.low), int(p.high))
    if p.on_quarter_grid:  # dates: quarter starts only
        return st.integers(math.ceil(p.low * 4), math.floor(p.high * 4)).map(lambda q: q / 4)
    return st.floats(p.low, p.high, allow_nan=False, allow_infinity=False)


#: Hostile values for a parameter: infinities, NaN, numbers too large for a float (as int,
#: float or text), numeric text Python's float() takes but a file must not ("1_0", non-ASCII
#: digits, spaces, "inf"), bools for numbers, containers, None, control characters.
HOSTILE_NUMBER_TEXT = st.sampled_from(
    [
        "inf",
        "-inf",
        "Infinity",
        "nan",
        "NaN",
        "1e400",
        "-1e400",
        "1_0",
        "\u0661",
        "\uff11",
        " 1",
        "1 ",
        "0x10",
        "",
    ]
)
hostile_values = st.one_of(
    st.sampled_from([math.inf, -math.inf, math.nan, 10**400, -(10**400), 10**5000, True, False, None]),
    st.integers(min_value=2**64) | st.integers(max_value=-(2**64)),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not math.isfinite(x) or abs(x) > 1e6),
    HOSTILE_NUMBER_TEXT,
    st.integers(40, 5000).map(lambda n: "9" * n),
    st.integers(310, 5000).map(lambda n: f"1e{n}"),
    st.text(st.characters(blacklist_categories=("Nd",)), max_size=10),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
    st.binary(max_size=4),
    st.complex_numbers(),
)
