"""Agreement between two labellings: the adjusted Rand index (Hubert & Arabie), in plain numpy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _pairs(n: np.ndarray) -> float:
    return float((n * (n - 1) / 2).sum())


def adjusted_rand_index(truth: Sequence, predicted: Sequence) -> float:
    """1.0 for identical partitions, about 0 for chance agreement (label names do not matter)."""
    if len(truth) != len(predicted):
        raise ValueError("both labellings must have the same length")
    n = len(truth)
    if n < 2:
        return 1.0
    _, t = np.unique(np.asarray([str(x) for x in truth]), return_inverse=True)
    _, p = np.unique(np.asarray([str(x) for x in predicted]), return_inverse=True)
    table = np.zeros((t.max() + 1, p.max() + 1), dtype=np.float64)
    np.add.at(table, (t, p), 1)
    index = _pairs(table)
    rows, cols = _pairs(table.sum(axis=1)), _pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
