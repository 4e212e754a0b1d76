"""Johnson's relative weights: how much of R² each (possibly correlated) driver accounts for.

Raw regression coefficients mislead when drivers are correlated (they usually are: a happy
customer rates everything higher). Johnson (2000) replaces the drivers by their closest
orthogonal counterparts Z = X Λ⁻¹, where Λ = V √D Vᵀ is the symmetric square root of the drivers'
correlation matrix R = V D Vᵀ, regresses the outcome on Z (β = Λ⁻¹ r) and shares each βₖ² back to
the drivers in proportion to Λⱼₖ². The weights are non-negative and add up to the model's R².

Everything here works on correlation matrices, so the rows never need to leave DuckDB when only
the point estimate is needed; the bootstrap resamples a numeric matrix.
"""

from __future__ import annotations

import numpy as np

MISSING_METHODS: tuple[str, ...] = ("listwise", "pairwise")


def relative_weights(corr: np.ndarray) -> np.ndarray:
    """Raw relative weights from a correlation matrix whose LAST row/column is the outcome.

    Returns one weight per driver; their sum is R² of the regression of the outcome on all
    drivers. Near-singular or (after pairwise deletion) slightly indefinite matrices are handled
    by clipping negative eigenvalues to zero and using a pseudo-inverse.

    >>> import numpy as np
    >>> corr = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.3], [0.6, 0.3, 1.0]])
    >>> [round(float(w), 3) for w in relative_weights(corr)]
    [0.36, 0.09]
    """
    corr = np.asarray(corr, dtype=float)
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    eigenvalues, eigenvectors = np.linalg.eigh(rxx)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    lam = (eigenvectors * np.sqrt(eigenvalues)) @ eigenvectors.T
    beta = np.linalg.pinv(lam, rcond=1e-10, hermitian=True) @ rxy
    return (lam**2) @ (beta**2)


def _weighted_corr(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Correlation of complete rows, each row counted ``weights`` times."""
    # raw moments (one pass, no centred copy): ratings are on small scales, so this is stable
    total = weights.sum()
    mean = (weights @ values) / total
    cov = (values * weights[:, None]).T @ values / total - np.outer(mean, mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(np.diag(cov))
        return cov / np.outer(scale, scale)


def _weighted_pairwise_corr(values: np.ndarray, present: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Pairwise correlation; ``values`` has 0 where a value is missing, ``present`` is 0/1."""
    weighted = present * weights[:, None]
    n = present.T @ weighted  # weighted rows where both i and j are present
    sum_i = values.T @ weighted  # [i, j]: sum of column i over rows where j is present too
    sum_sq_i = (values**2).T @ weighted
    cross = values.T @ (values * weights[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = cross - sum_i * sum_i.T / n
        var_i = sum_sq_i - sum_i**2 / n
        corr = cov / np.sqrt(var_i * var_i.T)
    corr[n < 3] = np.nan
    np.fill_diagonal(corr, 1.0)
    return corr


def listwise_corr(matrix: np.ndarray) -> tuple[np.ndarray, int]:
    """Correlation of the rows without any missing value, and how many rows that is."""
    complete = matrix[np.isfinite(matrix).all(axis=1)]
    if len(complete) < 3:
        return np.full((matrix.shape[1], matrix.shape[1]), np.nan), len(complete)
    return _weighted_corr(complete, np.ones(len(complete))), len(complete)


def pairwise_corr(matrix: np.ndarray) -> tuple[np.ndarray, int]:
    """Correlation of each pair of columns over the rows where both are present.

    Returns the matrix and the smallest number of rows behind any pair. Computed with matrix
    products (no loop over pairs), so it is cheap enough for the bootstrap.
    """
    present = np.isfinite(matrix)
    if present.all():  # nothing missing: pairwise is listwise, and cheaper
        return listwise_corr(matrix)
    presence = present.astype(float)
    values = np.where(present, matrix, 0.0)
    pair_n = presence.T @ presence
    return _weighted_pairwise_corr(values, presence, np.ones(len(matrix))), int(pair_n.min()) if pair_n.size else 0


def correlation(matrix: np.ndarray, missing: str) -> tuple[np.ndarray, int]:
    """Correlation matrix under the chosen missing-data rule (``listwise`` or ``pairwise``)."""
    if missing == "listwise":
        return listwise_corr(matrix)
    if missing == "pairwise":
        return pairwise_corr(matrix)
    raise ValueError(f"unknown missing-data method {missing!r}")


def importance_shares(corr: np.ndarray) -> tuple[np.ndarray, float]:
    """Each driver's share of R² in percent (sums to 100) and R² itself."""
    raw = relative_weights(corr)
    total = float(raw.sum())
    if not np.isfinite(total) or total <= 0:
        return np.full(len(raw), np.nan), 0.0
    return 100.0 * raw / total, total


def bootstrap_shares(matrix: np.ndarray, missing: str, resamples: int, seed: int) -> np.ndarray:
    """Importance shares (percent) for ``resamples`` bootstrap resamples of the rows.

    A resample is drawn as how many times each row is picked (weights), so no rows are copied.
    Listwise: resamples the complete rows. Resamples whose correlation cannot be computed (e.g. a
    driver without variation) are dropped. Returns an array of shape (kept resamples, drivers).
    """
    rng = np.random.default_rng(seed)
    present = np.isfinite(matrix)
    pairwise = missing == "pairwise" and not present.all()
    if pairwise:
        presence = present.astype(float)
        values = np.where(present, matrix, 0.0)
    else:
        values = matrix[present.all(axis=1)]
    rows = len(values)
    out = []
    if rows < 3:
        return np.empty((0, matrix.shape[1] - 1))
    for _ in range(resamples):
        weights = np.bincount(rng.integers(0, rows, rows), minlength=rows).astype(float)
        corr = _weighted_pairwise_corr(values, presence, weights) if pairwise else _weighted_corr(values, weights)
        if not np.isfinite(corr).all():
            continue
        shares, _r2 = importance_shares(corr)
        if np.isfinite(shares).all():
            out.append(shares)
    return np.array(out) if out else np.empty((0, matrix.shape[1] - 1))
