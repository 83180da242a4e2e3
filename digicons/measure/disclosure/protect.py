"""Secondary suppression: hide further cells until every sensitive cell is protected.

For a sensitive cell whose feasible interval is too narrow on one side, a protection LP looks for
the cheapest way the published table could differ: a change of the sensitive cell by the required
amount, balanced in every equation by changes of other cells, each staying above its lower bound
(the idea of Fischetti and Salazar's protection problem). Cells already hidden change for free; a
visible cell costs its revenue per unit of change, an empty cell as much as the median non-empty
one, so that the cheapest cells are hidden first and empty cells only when that saves real
revenue. The cells that change are then hidden: the changed table fits everything published, so
the attacker's interval reaches the required amount, by construction. Hidden cells only widen the
attacker's intervals, so a protection once reached stays. A final audit of every hidden cell
(`audit.Attacker`) checks each sensitive cell and gives the intervals that the outputs report.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from digicons.errors import InternalError
from digicons.measure.disclosure.audit import INF, Attacker, new_solver
from digicons.measure.disclosure.model import Measure, System
from digicons.measure.disclosure.rules import DisclosureRules, Sensitive, primary

# A change smaller than this share of the required protection is numerical noise.
TOLERANCE = 1e-7


@dataclass(frozen=True)
class Protection:
    """What secondary suppression decided, and the attacker's interval of every hidden cell."""

    primary: frozenset[int]
    secondary: frozenset[int]
    # (cell, measure key) → (lower, upper), in the input unit; ±inf when unbounded
    intervals: dict[tuple[int, str], tuple[float, float]]

    @property
    def hidden(self) -> frozenset[int]:
        return self.primary | self.secondary


def required(value: float, rules: DisclosureRules) -> float:
    return abs(value) * float(rules.protection) / 100


def enough(room: float, need: float) -> bool:
    """Whether an interval reaching `room` beyond a value gives the protection `need`."""
    return room >= need - TOLERANCE * max(1.0, need)


def is_safe(value: float, interval: tuple[float, float], need: float) -> bool:
    return enough(interval[1] - value, need) and enough(value - interval[0], need)


def costs(system: System) -> np.ndarray:
    """What hiding each cell costs: its revenue; an empty cell, the median non-empty revenue."""
    revenue = system.measures[0].values
    filled = np.array([c.enterprises > 0 for c in system.cells])
    median = float(np.median(np.abs(revenue[filled]))) if filled.any() else 1.0
    return np.where(filled, np.maximum(np.abs(revenue), 1e-6), max(median, 1e-6))


class Deviations:
    """The protection LP of one measure: changes y = y⁺ − y⁻ of every cell that keep every
    equation, each cell above its lower bound; built once, its bounds and costs set per solve."""

    def __init__(self, system: System, measure: Measure, cost: np.ndarray) -> None:
        n = len(system.cells)
        self.n = n
        self.measure = measure
        self.cost = cost
        self.solver = new_solver()
        room = measure.values - measure.lower  # how far each cell may fall
        self.down = np.where(np.isfinite(room), np.maximum(room, 0.0), INF)
        self.solver.addVars(2 * n, np.zeros(2 * n), np.concatenate([np.full(n, INF), self.down]))
        for indices, coefficients in system.equations:
            positions = np.concatenate([indices, indices + n]).astype(np.int32)
            values = np.concatenate([coefficients, -coefficients])
            self.solver.addRow(0.0, 0.0, len(positions), positions, values)

    def cells_to_hide(self, target: int, change: float, hidden: set[int]) -> set[int]:
        """The cells that must change (beyond `hidden`) for `target` to change by `change`."""
        n = self.n
        weights = np.array([0.0 if i in hidden else self.cost[i] for i in range(n)])
        weights[target] = 0.0
        everything = np.arange(2 * n, dtype=np.int32)
        self.solver.changeColsCost(2 * n, everything, np.concatenate([weights, weights]))
        upper = np.concatenate([np.full(n, INF), self.down])
        lower = np.zeros(2 * n)
        if change > 0:
            lower[target], upper[target] = change, change
            upper[n + target] = 0.0
        else:
            lower[n + target], upper[n + target] = -change, -change
            upper[target] = 0.0
        self.solver.changeColsBounds(2 * n, everything, lower, upper)
        self.solver.changeObjectiveSense(highspy.ObjSense.kMinimize)
        self.solver.run()
        if self.solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise InternalError(
                f"disclosure: no table protects cell {target} ({self.solver.getModelStatus()})"
            )
        solution = np.asarray(self.solver.getSolution().col_value)
        moved = np.abs(solution[:n]) + np.abs(solution[n:])
        threshold = TOLERANCE * max(1.0, abs(change))
        return {i for i in np.flatnonzero(moved > threshold).tolist() if i not in hidden}


def protect(system: System, rules: DisclosureRules) -> Protection:
    """Primary suppression by the rules, then secondary suppression until every sensitive cell is
    protected in every measure; the intervals of every hidden cell."""
    sensitive = [
        i
        for i, c in enumerate(system.cells)
        if primary(Sensitive(c.enterprises, c.revenue, c.largest), rules)
    ]
    hidden = set(sensitive)
    cost = costs(system)
    for measure in system.measures:
        deviations: Deviations | None = None
        attacker = Attacker(system, measure, hidden)
        for cell in sensitive:
            value = float(measure.values[cell])
            need = required(value, rules)
            if need <= 0:
                continue
            for direction in (1, -1):
                bound = attacker.bound(cell, maximise=direction > 0)
                if enough(direction * (bound - value), need):
                    continue
                deviations = deviations or Deviations(system, measure, cost)
                added = deviations.cells_to_hide(cell, direction * need, hidden)
                if added:
                    hidden |= added
                    attacker = Attacker(system, measure, hidden)
    intervals: dict[tuple[int, str], tuple[float, float]] = {}
    for measure in system.measures:
        attacker = Attacker(system, measure, hidden)
        for cell in sorted(hidden):
            intervals[(cell, measure.key)] = attacker.interval(cell)
        for cell in sensitive:
            value = float(measure.values[cell])
            if not is_safe(value, intervals[(cell, measure.key)], required(value, rules)):
                raise InternalError(
                    f"disclosure: cell {system.keys[cell]} is not protected in {measure.key} "
                    f"({intervals[(cell, measure.key)]} around {value})"
                )
    return Protection(frozenset(sensitive), frozenset(hidden - set(sensitive)), intervals)
