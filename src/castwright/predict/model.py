"""A voice's length model: seconds of audio per engine call, linear in the text's features.

Fitted by ridge regression on the calibration renders; ``r2`` is measured out of sample
(five-fold cross-validation), so it says how well the model predicts text it has not seen.
The speed curve records how the voice's length really scales with the speaking rate, which is
close to 1/speed but not exactly (espeak-ng switches to its time-compressor above 450 words per
minute; flite stretches its pauses less than its phonemes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["LengthModel", "fit_length_model"]

_RIDGE = 0.3  # keeps rarely seen features (a semicolon ending) from taking wild weights
_FOLDS = 5
_SHORTEST = 0.3  # seconds: shorter calibration pieces weigh no more than this


@dataclass(frozen=True)
class LengthModel:
    keys: tuple[str, ...]
    weights: tuple[float, ...]
    r2: float
    samples: int
    speeds: tuple[float, ...] = (1.0,)
    factors: tuple[float, ...] = (1.0,)  # length at speed s / length at speed 1

    def seconds(self, features: dict[str, float]) -> float:
        """Seconds of audio for one engine call at the voice's normal speed."""
        total = sum(w * features.get(k, 0.0) for k, w in zip(self.keys, self.weights, strict=True))
        return max(0.0, total)

    def speed_factor(self, speed: float) -> float:
        """Length at ``speed`` relative to speed 1, interpolated on the measured curve."""
        if speed == 1.0 or len(self.speeds) < 2:
            return 1.0 / speed
        logs = np.log(np.asarray(self.speeds))
        # Interpolate speed x factor (close to 1 everywhere), then divide by the speed.
        corrected = np.asarray(self.factors) * np.asarray(self.speeds)
        within = float(np.interp(math.log(speed), logs, corrected))
        return within / speed

    def as_json(self) -> dict[str, Any]:
        return {
            "keys": list(self.keys),
            "weights": list(self.weights),
            "r2": self.r2,
            "samples": self.samples,
            "speeds": list(self.speeds),
            "factors": list(self.factors),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LengthModel:
        return cls(
            tuple(data["keys"]),
            tuple(float(w) for w in data["weights"]),
            float(data["r2"]),
            int(data["samples"]),
            tuple(float(s) for s in data["speeds"]),
            tuple(float(f) for f in data["factors"]),
        )


def _solve(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], constant: int
) -> npt.NDArray[np.float64]:
    """Ridge regression weighted by 1/length: what matters is the error relative to the
    length, so a short phrase's tenth of a second counts as much as a paragraph's second."""
    weight = 1.0 / np.maximum(y, _SHORTEST)
    penalty = _RIDGE * np.eye(x.shape[1])
    penalty[constant, constant] = 0.0  # the constant is not shrunk
    weighted = x * weight[:, None]
    solved = np.linalg.solve(weighted.T @ x + penalty, weighted.T @ y)
    return np.asarray(solved, dtype=np.float64)


def _r2(actual: npt.NDArray[np.float64], predicted: npt.NDArray[np.float64]) -> float:
    spread = float(((actual - actual.mean()) ** 2).sum())
    if spread == 0.0:
        return 0.0
    return max(0.0, 1.0 - float(((actual - predicted) ** 2).sum()) / spread)


def fit_length_model(rows: list[dict[str, float]], seconds: list[float]) -> LengthModel:
    """The model for one voice from calibration rows (features) and their rendered lengths."""
    keys = tuple(sorted({key for row in rows for key in row} | {"constant"}))
    x = np.array([[row.get(k, 0.0) for k in keys] for row in rows], dtype=np.float64)
    y = np.asarray(seconds, dtype=np.float64)
    constant = keys.index("constant")
    out_of_fold = np.zeros_like(y)
    order = np.arange(len(y))
    for fold in range(_FOLDS):
        held = order % _FOLDS == fold
        if held.all() or not held.any():
            continue
        weights = _solve(x[~held], y[~held], constant)
        out_of_fold[held] = np.maximum(0.0, x[held] @ weights)
    weights = _solve(x, y, constant)
    return LengthModel(
        keys, tuple(float(w) for w in weights), round(_r2(y, out_of_fold), 4), len(y)
    )
