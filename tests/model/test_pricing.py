"""The battalion price in the register is derived from the contracts (issue 25, item 8)."""

from __future__ import annotations

import pandas as pd
import pytest

from s400lab.data import load
from s400lab.model import load_register
from s400lab.model.pricing import battalion_prices, unit_value_range


def test_register_unit_value_equals_the_derivation_from_deals():
    deals = load().table("deals")
    p = load_register()["unit_value_usd_bn"]
    assert (p.low, p.central, p.high) == pytest.approx(unit_value_range(deals))
    assert p.default == pytest.approx(p.central)


def test_prices_are_one_per_main_contract_of_the_three_buyers():
    prices = battalion_prices(load().table("deals"))
    assert sorted(prices.index) == ["china-2014", "india-2018", "turkiye-2017"]
    assert prices["turkiye-2017"] == pytest.approx(2.5 / 2)
    assert prices["india-2018"] == pytest.approx(5.43 / 10)
    assert prices["china-2014"] == pytest.approx(3.0 / 4)


def test_a_changed_contract_moves_the_range_and_no_contract_is_refused():
    deals = load().table("deals").copy()
    deals.loc[deals["deal_id"] == "india-2018", "value_usd_bn"] = 2.0
    assert unit_value_range(deals)[0] == pytest.approx(0.2)
    with pytest.raises(ValueError, match="deals.csv"):
        unit_value_range(pd.DataFrame(columns=deals.columns))
