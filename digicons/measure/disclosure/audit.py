"""The attacker's problem: how narrowly can a hidden cell be placed from what is published?

For one measure and one set of hidden cells, the unknowns are the hidden cells' values; every
equation of the system becomes a constraint on them once the published values are put in; each
unknown is at least its lower bound (0 where the data has no negative value). The feasible
interval of a hidden cell is the minimum and the maximum of its value over that polytope, found by
HiGHS (through highspy): the model is built once and only the objective changes between solves.
"""

from __future__ import annotations

import math

import highspy
import numpy as np

from digicons.errors import InternalError
from digicons.measure.disclosure.model import Measure, System

INF = highspy.kHighsInf


def new_solver() -> highspy.Highs:
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    # Many small solves of one model, each from the last one's basis.
    solver.setOptionValue("presolve", "off")
    return solver


def _value(solver: highspy.Highs, maximise: bool) -> float:
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return float(solver.getInfo().objective_function_value)
    if status in (
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return math.inf if maximise else -math.inf
    raise InternalError(f"disclosure audit: the solver stopped with {status}")


class Attacker:
    """The attacker's linear program for one measure and one set of hidden cells."""

    def __init__(self, system: System, measure: Measure, hidden: set[int]) -> None:
        self.columns = sorted(hidden)
        self.column_of = {cell: j for j, cell in enumerate(self.columns)}
        self.solver = new_solver()
        count = len(self.columns)
        if not count:
            return
        lower = np.array([max(measure.lower[c], -INF) for c in self.columns])
        self.solver.addVars(count, lower, np.full(count, INF))
        for indices, coefficients in system.equations:
            unknown = [
                (self.column_of[i], a)
                for i, a in zip(indices.tolist(), coefficients.tolist(), strict=True)
                if i in self.column_of
            ]
            if not unknown:
                continue
            known = sum(
                a * measure.values[i]
                for i, a in zip(indices.tolist(), coefficients.tolist(), strict=True)
                if i not in self.column_of
            )
            positions = np.array([j for j, _ in unknown], dtype=np.int32)
            values = np.array([a for _, a in unknown])
            self.solver.addRow(-known, -known, len(unknown), positions, values)
        self._objective: int | None = None

    def bound(self, cell: int, maximise: bool) -> float:
        """The least (or greatest) value a hidden cell can take."""
        column = self.column_of[cell]
        if self._objective != column:
            if self._objective is not None:
                self.solver.changeColCost(self._objective, 0.0)
            self.solver.changeColCost(column, 1.0)
            self._objective = column
        sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        self.solver.changeObjectiveSense(sense)
        self.solver.run()
        return _value(self.solver, maximise)

    def interval(self, cell: int) -> tuple[float, float]:
        return self.bound(cell, False), self.bound(cell, True)
