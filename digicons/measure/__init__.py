"""Measure: enterprise rows → every published figure, each row accounted for.

`measure(options)` runs the pipeline (`measure.pipeline`) and returns a `MeasureResult`.
"""

from digicons.measure.options import MeasureOptions
from digicons.measure.pipeline import measure
from digicons.measure.result import MeasureResult

__all__ = ["MeasureOptions", "MeasureResult", "measure"]
