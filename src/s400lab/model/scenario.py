"""Scenarios: a complete, validated set of parameter values.

A :class:`Scenario` holds one value for every row of the register (levers, uncertainties at
their central value unless changed, settings). It is immutable; :meth:`Scenario.with_changes`
returns a new, validated scenario. Presets come from ``data/scenarios.csv`` and
``data/scenario_values.csv`` (a preset lists only the values it changes from the defaults).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from s400lab._inputs import text_problem
from s400lab.data.values import lever_bounds, lever_problems  # the one value rule (data layer)
from s400lab.model.register import ParameterRegister, load_presets, load_register
from s400lab.model.sampling import weight_problems

__all__ = ["Scenario", "idle_parameters", "lever_bounds", "lever_problems", "presets", "weight_problems"]


def idle_parameters(values: Mapping[str, Any]) -> set[str]:
    """Uncertainties that cannot change this scenario's outcomes (e.g. the loss rates of the
    courses of the war not chosen, the transport time to India when Russia keeps the units,
    the retaliation cost when nothing is transferred); views may leave them out.

    >>> sorted(idle_parameters({"war_course": "attrition", "tr_action": "keep_stored",
    ...                         "ru_use_returned": "home"}))[:2]
    ['home_requirement_peace_bn', 'india_transport_months']
    """
    from s400lab.model.core import COURSES, THIRD_PARTY_ACTIONS

    course = values.get("war_course", "attrition")
    idle = {row for c, rows in COURSES.items() if c != course for row in rows}
    idle -= set(COURSES[course])
    if values.get("ru_use_returned") != "india" or values.get("tr_action") not in (
        "return_partial",
        "return_full",
    ):
        idle.add("india_transport_months")
    if values.get("tr_action") not in THIRD_PARTY_ACTIONS:  # a transfer, custody or relocation
        idle.add("ru_retaliation_usd_bn")
    return idle


@dataclass(frozen=True)
class Scenario:
    """A named, validated set of values for every parameter of the register.

    Do not build it directly; use :meth:`default`, :meth:`preset`, :meth:`from_dict` or
    :meth:`with_changes`.

    Attributes
    ----------
    scenario_id : str
        Preset id (``"custom"`` once changed).
    label, description : str
        Text shown to students.
    values : dict
        Parameter name -> typed value (all parameters).
    register : ParameterRegister
        The register the values were validated against.
    """

    scenario_id: str
    label: str
    description: str
    values: Mapping[str, Any]
    register: ParameterRegister = field(repr=False, compare=False)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def default(cls, register: ParameterRegister | None = None) -> Scenario:
        """The register defaults (identical to the ``status_quo`` preset's starting point)."""
        reg = register if register is not None else load_register()
        return cls(
            scenario_id="default",
            label="Register defaults",
            description="Every parameter at its default (levers at status quo, assumptions central).",
            values=dict(reg.defaults()),
            register=reg,
        )

    @classmethod
    def preset(cls, name: str, register: ParameterRegister | None = None) -> Scenario:
        """A preset from ``data/scenarios.csv``.

        Parameters
        ----------
        name : str
            ``scenario_id``, e.g. ``"status_quo"`` or ``"full_return_cash"``.

        Raises
        ------
        ValueError
            If ``name`` is not a preset, or a preset value fails validation (the message names
            ``scenario_values.csv``, the scenario and the parameter).
        """
        reg = register if register is not None else load_register()
        meta, vals = load_presets()
        if name not in meta:
            raise ValueError(f"unknown preset {name!r}; presets: {', '.join(_ordered(meta))}")
        base = cls.default(reg)
        try:
            sc = base._apply(vals[name])
        except ValueError as exc:
            raise ValueError(f"scenario_values.csv, scenario {name!r}: {exc}") from None
        return cls(
            scenario_id=name,
            label=meta[name]["label"],
            description=meta[name]["description"],
            values=sc.values,
            register=reg,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], register: ParameterRegister | None = None) -> Scenario:
        """Rebuild a scenario from :meth:`to_dict` output (e.g. a saved JSON file).

        ``data`` may carry ``scenario_id``, ``label``, ``description`` and ``values`` (only the
        values that differ from the defaults are needed). Unknown or invalid values raise
        ``ValueError`` naming the parameter.
        """
        if not isinstance(data, Mapping):
            raise ValueError("a scenario must be a mapping with a 'values' mapping")
        values = data.get("values", {})
        if not isinstance(values, Mapping):
            raise ValueError("'values' must be a mapping of parameter -> value")
        texts = {
            "scenario_id": data.get("scenario_id", "custom"),
            "label": data.get("label", "Custom scenario"),
            "description": data.get("description", ""),
        }
        for key, text in texts.items():  # shown in the explorer and the brief
            why = text_problem(str(text), allow_newlines=key == "description")
            if why:
                raise ValueError(f"scenario {key}: {why}")
        base = cls.default(register)
        sc = base._apply(values)
        return cls(
            scenario_id=str(texts["scenario_id"]),
            label=str(texts["label"]),
            description=str(texts["description"]),
            values=sc.values,
            register=sc.register,
        )

    # ------------------------------------------------------------------ changes
    def _apply(self, changes: Mapping[str, Any]) -> Scenario:
        reg = self.register
        new = dict(self.values)
        for name, value in changes.items():
            if name not in reg:
                raise ValueError(reg.unknown_message(name))
            new[name] = reg.params[name].validate(value)
        problems = lever_problems(new)
        if problems:
            raise ValueError("incoherent levers: " + "; ".join(problems))
        problems = weight_problems(new, reg)
        if problems:
            raise ValueError("; ".join(problems))
        return Scenario(self.scenario_id, self.label, self.description, new, reg)

    def readings(self, name: str) -> dict[str, Scenario]:
        """This scenario under each reading of an evidence dispute, to run side by side.

        Parameters
        ----------
        name : str
            A switch or disputed parameter with listed readings: a choice setting such as
            ``war_course``, or a numeric one such as ``india_undelivered_sq``,
            ``india_credit_start_bn``, ``s400_contract_usd_bn`` or ``tr_holding_bn``.

        Returns
        -------
        dict of str to Scenario
            Reading (as text) -> scenario with that reading (levers kept; a reading that makes
            the levers incoherent, e.g. a partial return of 3 with 2 held, is left out).
        """
        p = self.register[name]
        values: list[Any]
        if p.type == "choice" and p.kind == "setting":
            values = list(p.choices)
        elif p.readings:
            values = [int(v) if p.type == "int" else v for v in p.readings]
        else:
            raise ValueError(f"parameter {name!r} has no listed readings (not an evidence switch)")
        out = {}
        for v in values:
            try:
                out[f"{v:g}" if isinstance(v, (int, float)) else v] = self.with_changes(**{name: v})
            except ValueError:
                continue
        return out

    def with_changes(self, **changes: Any) -> Scenario:
        """Return a new scenario with some values changed.

        Parameters
        ----------
        **changes
            ``parameter=value`` pairs; values are validated against the register.

        Returns
        -------
        Scenario
            ``scenario_id`` becomes ``"custom"`` unless nothing changed.

        Raises
        ------
        ValueError
            Naming the parameter and its allowed values for an unknown name, a value out of
            range, a wrong choice, a non-integer for an int parameter or NaN.

        Examples
        --------
        >>> sc = Scenario.preset("status_quo").with_changes(tr_action="return_full")
        >>> sc.values["tr_action"]
        'return_full'
        """
        sc = self._apply(changes)
        if sc.values == self.values:
            return self
        return Scenario(
            scenario_id="custom",
            label=f"{self.label} (changed)",
            description=self.description,
            values=sc.values,
            register=self.register,
        )

    def changes(self) -> dict[str, Any]:
        """The values that differ from the register defaults."""
        d = self.register.defaults()
        return {k: v for k, v in self.values.items() if d[k] != v}

    def to_dict(self, *, every_value: bool = False) -> dict[str, Any]:
        """JSON-friendly form: id, label, description and the values.

        ``values`` holds the non-default values, or every parameter with ``every_value=True``
        (what a scenario file stores: :mod:`s400lab.model.scenario_io` wraps this dict).
        """
        return {
            "scenario_id": self.scenario_id,
            "label": self.label,
            "description": self.description,
            "values": dict(self.values) if every_value else self.changes(),
        }

    def __getitem__(self, name: str) -> Any:
        if name not in self.values:
            raise ValueError(self.register.unknown_message(name))
        return self.values[name]


def _ordered(meta: Mapping[str, Mapping[str, str]]) -> list[str]:
    def key(sid: str) -> tuple[float, str]:
        try:
            return (float(meta[sid].get("order") or "inf"), sid)
        except ValueError:
            return (float("inf"), sid)

    return sorted(meta, key=key)


def presets() -> dict[str, Scenario]:
    """All presets, in the order of ``scenarios.csv``'s ``order`` column.

    Returns
    -------
    dict of str to Scenario
        ``scenario_id -> Scenario`` (each with ``label`` and ``description``).
    """
    meta, _ = load_presets()
    return {sid: Scenario.preset(sid) for sid in _ordered(meta)}
