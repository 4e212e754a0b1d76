"""Johnson's relative weights: how much of R² each (possibly correlated) driver accounts for.

Raw regression coefficients mislead when drivers are correlated (they usually are: a happy
customer rates everything higher). Johnson (2000) replaces the drivers by their closest
orthogonal counterparts Z = X Λ⁻¹, where Λ = V √D Vᵀ is the symmetric square root of the drivers'
correlation matrix R = V D Vᵀ, regresses the outcome on Z (β = Λ⁻¹ r) and shares each βₖ² back to
the drivers in proportion to Λⱼₖ². The weights are non-negative and add up to the model's R².

Everything here works on correlation matrices, so the rows never need to leave DuckDB: the point
estimate needs only sums and cross-products (:func:`corr_from_moments`,
:func:`pairwise_corr_from_moments`), and the bootstrap of whole accounts only each account's sums
(:func:`bootstrap_shares_of_accounts`); :func:`bootstrap_shares` resamples a numeric matrix (single
responses when there are no accounts).
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

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
    return corr_from_moments(weights.sum(), weights @ values, (values * weights[:, None]).T @ values)


def corr_from_moments(total: float, sums: np.ndarray, cross: np.ndarray) -> np.ndarray:
    """The correlation matrix of ``total`` rows from their column sums and their cross-products
    (``cross[i, j]`` = sum of column i times column j), as DuckDB can sum them."""
    mean = sums / total
    cov = cross / total - np.outer(mean, mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(np.diag(cov))
        return cov / np.outer(scale, scale)


def _weighted_pairwise_corr(values: np.ndarray, present: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Pairwise correlation; ``values`` has 0 where a value is missing, ``present`` is 0/1."""
    weighted = present * weights[:, None]
    return pairwise_corr_from_moments(
        present.T @ weighted,  # weighted rows where both i and j are present
        values.T @ weighted,  # [i, j]: sum of column i over rows where j is present too
        (values**2).T @ weighted,
        values.T @ (values * weights[:, None]),
    )


def pairwise_corr_from_moments(n: np.ndarray, sum_i: np.ndarray, sum_sq_i: np.ndarray, cross: np.ndarray) -> np.ndarray:
    """Pairwise correlation from, for each pair ``[i, j]``, the rows where both are present (``n``),
    the sum and the sum of squares of column i over those rows, and the sum of products."""
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = cross - sum_i * sum_i.T / n
        var_i = sum_sq_i - sum_i**2 / n
        corr = cov / np.sqrt(var_i * var_i.T)
    corr[n < 3] = np.nan
    np.fill_diagonal(corr, 1.0)
    return corr


def listwise_corr(matrix: np.ndarray) -> tuple[np.ndarray, int]:
    """Correlation of the rows without any missing value, and how many rows that is."""
    rows = np.isfinite(matrix).all(axis=1)
    complete = matrix if rows.all() else matrix[rows]  # no copy when every row is complete
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


# The bootstrap works on blocks of resamples and chunks of rows: memory stays bounded (about
# RESAMPLE_BLOCK x rows counts and CHUNK_CELLS products) whatever the number of responses.
RESAMPLE_BLOCK = 25
CHUNK_CELLS = 1 << 20  # products of a chunk of rows (8 MB)


def _chunk_rows(columns: int) -> int:
    return max(256, CHUNK_CELLS // max(columns, 1))


def relative_weights_batch(corr: np.ndarray) -> np.ndarray:
    """:func:`relative_weights` of a stack of correlation matrices (shape ``(b, k+1, k+1)``) at once.

    >>> import numpy as np
    >>> corr = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.3], [0.6, 0.3, 1.0]])
    >>> [round(float(w), 3) for w in relative_weights_batch(np.stack([corr, corr]))[1]]
    [0.36, 0.09]
    """
    corr = np.asarray(corr, dtype=float)
    rxx, rxy = corr[:, :-1, :-1], corr[:, :-1, -1]
    eigenvalues, eigenvectors = np.linalg.eigh(rxx)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    lam = (eigenvectors * np.sqrt(eigenvalues)[:, None, :]) @ np.swapaxes(eigenvectors, 1, 2)
    beta = (np.linalg.pinv(lam, rcond=1e-10, hermitian=True) @ rxy[:, :, None])[:, :, 0]
    return ((lam**2) @ (beta**2)[:, :, None])[:, :, 0]


def _share_rows(corr: np.ndarray) -> np.ndarray:
    """Importance shares (percent) of each matrix of a stack; NaN rows where they cannot be computed."""
    out = np.full((len(corr), corr.shape[1] - 1), np.nan)
    finite = np.isfinite(corr).all(axis=(1, 2))
    if finite.any():
        raw = relative_weights_batch(corr[finite])
        total = raw.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = 100.0 * raw / total[:, None]
        shares[~(np.isfinite(total) & (total > 0))] = np.nan
        out[finite] = shares
    return out


def _resample_weights(rng: np.random.Generator, rows: int, count: int) -> np.ndarray:
    """``count`` bootstrap resamples of ``rows`` rows, each as how often every row is drawn."""
    # one draw of row indices per resample, in order: the same stream as drawing them one by one
    return np.stack([np.bincount(rng.integers(0, rows, rows), minlength=rows) for _ in range(count)]).astype(float)


def _listwise_products(values: np.ndarray):
    """Chunks ``(start, products)`` of each complete row's centred columns and products of two columns.

    Per resample a correlation matrix needs only the weighted sums of these (columns are centred
    on the sample's means first: correlations do not change, the sums stay well conditioned).
    """
    k = values.shape[1]
    upper_i, upper_j = np.triu_indices(k)
    centre = values.mean(axis=0)
    step = _chunk_rows(k + len(upper_i))
    for start in range(0, len(values), step):
        chunk = values[start : start + step] - centre
        yield start, np.concatenate([chunk, chunk[:, upper_i] * chunk[:, upper_j]], axis=1)


def _listwise_corr_from_sums(sums: np.ndarray, total: np.ndarray, k: int) -> np.ndarray:
    """The correlation matrices of :func:`_listwise_products`' weighted sums (one row per resample)."""
    upper_i, upper_j = np.triu_indices(k)
    total = total[:, None]
    mean = sums[:, :k] / total
    second = np.zeros((len(sums), k, k))
    second[:, upper_i, upper_j] = sums[:, k:] / total
    second[:, upper_j, upper_i] = second[:, upper_i, upper_j]
    cov = second - mean[:, :, None] * mean[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        return cov / (scale[:, :, None] * scale[:, None, :])


def _listwise_corr_batch(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted correlation matrix of complete rows for each row of ``weights`` (one GEMM per chunk)."""
    k = values.shape[1]
    sums = np.zeros((len(weights), k + k * (k + 1) // 2))
    for start, products in _listwise_products(values):
        sums += weights[:, start : start + len(products)] @ products
    return _listwise_corr_from_sums(sums, weights.sum(axis=1), k)


def _pairwise_products(values: np.ndarray, presence: np.ndarray):
    """Chunks ``(start, products)`` of what :func:`_pairwise_corr_from_sums` needs the weighted sums of."""
    k = values.shape[1]
    counts = presence.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(counts > 0, values.sum(axis=0) / counts, 0.0)
    pair_i, pair_j = np.indices((k, k)).reshape(2, -1)
    step = _chunk_rows(4 * k * k)
    for start in range(0, len(values), step):
        present = presence[start : start + step]
        x = (values[start : start + step] - centre) * present  # centred where present, 0 where missing
        yield (
            start,
            np.concatenate(
                [
                    present[:, pair_i] * present[:, pair_j],  # both present
                    x[:, pair_i] * present[:, pair_j],  # column i where j is present too
                    (x**2)[:, pair_i] * present[:, pair_j],
                    x[:, pair_i] * x[:, pair_j],
                ],
                axis=1,
            ),
        )


def _pairwise_corr_from_sums(sums: np.ndarray, k: int) -> np.ndarray:
    """The pairwise correlation matrices of :func:`_pairwise_products`' weighted sums (one row per resample)."""
    b = len(sums)
    n, sum_i, sum_sq_i, cross = (part.reshape(b, k, k) for part in np.split(sums, 4, axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = cross - sum_i * np.swapaxes(sum_i, 1, 2) / n
        var_i = sum_sq_i - sum_i**2 / n
        corr = cov / np.sqrt(var_i * np.swapaxes(var_i, 1, 2))
    corr[n < 3] = np.nan
    corr[:, np.arange(k), np.arange(k)] = 1.0
    return corr


def _pairwise_corr_batch(values: np.ndarray, presence: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """:func:`_weighted_pairwise_corr` for each row of ``weights``, from weighted sums (one GEMM per chunk)."""
    k = values.shape[1]
    sums = np.zeros((len(weights), 4 * k * k))
    for start, products in _pairwise_products(values, presence):
        sums += weights[:, start : start + len(products)] @ products
    return _pairwise_corr_from_sums(sums, k)


def _account_draws(rng: np.random.Generator, accounts: int, count: int) -> np.ndarray:
    """``count`` resamples of ``accounts`` accounts, each as how often every account is drawn."""
    return np.stack([np.bincount(rng.integers(0, accounts, accounts), minlength=accounts) for _ in range(count)])


def _cluster_resample_weights(rng: np.random.Generator, codes: np.ndarray, count: int) -> np.ndarray:
    """``count`` resamples of whole accounts: each row weighs as often as its account is drawn."""
    accounts = int(codes.max()) + 1 if len(codes) else 0
    return _account_draws(rng, accounts, count)[:, codes].astype(float)


def _account_sums(
    values: np.ndarray, presence: np.ndarray | None, codes: np.ndarray, accounts: int, width: int
) -> np.ndarray:
    """The sum over each account's rows of every column of :func:`_listwise_products` (``presence``
    None) or :func:`_pairwise_products`, in the same order: one ``bincount`` per column and chunk."""
    k = values.shape[1]
    if presence is None:
        centre = values.mean(axis=0)
    else:
        counts = presence.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(counts > 0, values.sum(axis=0) / counts, 0.0)
    upper = list(zip(*np.triu_indices(k), strict=True))
    pairs = [(i, j) for i in range(k) for j in range(k)]
    sums = np.zeros((accounts, width))
    step = _chunk_rows(k)
    for start in range(0, len(values), step):
        chunk_codes = codes[start : start + step]
        x = np.ascontiguousarray((values[start : start + step] - centre).T)  # one row per column
        if presence is None:
            columns = [*(x[i] for i in range(k)), *(x[i] * x[j] for i, j in upper)]
        else:
            present = np.ascontiguousarray(presence[start : start + step].T)
            x *= present  # centred where present, 0 where missing
            columns = [
                *(present[i] * present[j] for i, j in pairs),
                *(x[i] * present[j] for i, j in pairs),
                *(x[i] ** 2 * present[j] for i, j in pairs),
                *(x[i] * x[j] for i, j in pairs),
            ]
        for m, column in enumerate(columns):
            sums[:, m] += np.bincount(chunk_codes, weights=column, minlength=accounts)
    return sums


def bootstrap_shares(
    matrix: np.ndarray, missing: str, resamples: int, seed: int, clusters: np.ndarray | None = None
) -> np.ndarray:
    """Importance shares (percent) for ``resamples`` bootstrap resamples of the rows.

    With ``clusters`` (an account code per row) whole accounts are resampled, since answers
    from one account are not independent; without, single rows.

    A resample is drawn as how many times each row is picked (weights), so no rows are copied;
    blocks of resamples are computed together (their weighted sums in one matrix product, their
    relative weights in one batched eigen-decomposition). Listwise: resamples the complete rows.
    Resamples whose correlation cannot be computed (e.g. a driver without variation) are dropped.
    Returns an array of shape (kept resamples, drivers).
    """
    rng = np.random.default_rng(seed)
    present = np.isfinite(matrix)
    pairwise = missing == "pairwise" and not present.all()
    if pairwise:
        presence = present.astype(float)
        values = np.where(present, matrix, 0.0)
    else:
        complete = present.all(axis=1)
        values = matrix if complete.all() else matrix[complete]  # no copy when every row is complete
        if clusters is not None:
            clusters = clusters[complete]
    rows = len(values)
    if rows < 3:
        return np.empty((0, matrix.shape[1] - 1))
    codes = np.unique(clusters, return_inverse=True)[1] if clusters is not None else None
    if codes is not None and int(codes.max()) + 1 == rows:
        codes = None  # every row its own account: the ordinary bootstrap
    k = values.shape[1]
    width = 4 * k * k if pairwise else k + k * (k + 1) // 2
    accounts = int(codes.max()) + 1 if codes is not None else 0
    if codes is not None and accounts * width <= RESAMPLE_BLOCK * rows:
        # a resample weighs each row by how often its account is drawn, so the weighted sums are the
        # draws times each account's sums: those are computed once, and a block of resamples is one
        # small product (accounts, not rows; the same draws and numbers as weighting every row)
        by_account = _account_sums(values, presence if pairwise else None, codes, accounts, width)
        sizes = np.bincount(codes, minlength=accounts).astype(float)
        return _account_bootstrap(rng, by_account, sizes, k, pairwise, resamples)
    out = []
    # One BLAS thread: these products are short and wide, and OpenBLAS's threads spin waiting for
    # work (measured at 300k responses on 2 busy cores: 25.8 s with its default threads, 0.7 s with one).
    with threadpool_limits(limits=1, user_api="blas"):
        for start in range(0, resamples, RESAMPLE_BLOCK):
            block = min(RESAMPLE_BLOCK, resamples - start)
            weights = (
                _resample_weights(rng, rows, block) if codes is None else _cluster_resample_weights(rng, codes, block)
            )
            corr = (
                _pairwise_corr_batch(values, presence, weights) if pairwise else _listwise_corr_batch(values, weights)
            )
            shares = _share_rows(corr)
            out.append(shares[np.isfinite(shares).all(axis=1)])
    return np.concatenate(out) if out else np.empty((0, matrix.shape[1] - 1))


def bootstrap_shares_of_accounts(
    by_account: np.ndarray, sizes: np.ndarray, pairwise: bool, resamples: int, seed: int
) -> np.ndarray:
    """:func:`bootstrap_shares` from each account's sums, summed elsewhere (in DuckDB): the same
    draws and numbers as resampling the rows of those accounts (to floating-point rounding).

    ``by_account`` has one row per account, in the order the accounts' keys sort (the rows' order
    when every account holds one row), and the columns of :func:`_listwise_products` (centred on the
    complete rows' means) or of :func:`_pairwise_products` (centred on each column's mean where
    present); ``sizes`` is each account's number of rows. Returns (kept resamples, drivers).
    """
    columns = by_account.shape[1]
    k = round(columns**0.5 / 2) if pairwise else round(((8 * columns + 9) ** 0.5 - 3) / 2)
    return _account_bootstrap(np.random.default_rng(seed), by_account, sizes, k, pairwise, resamples)


def _account_bootstrap(
    rng: np.random.Generator, by_account: np.ndarray, sizes: np.ndarray, k: int, pairwise: bool, resamples: int
) -> np.ndarray:
    """Resamples of whole accounts from their sums: a block of resamples is the draws times the sums."""
    accounts = len(by_account)
    out = []
    with threadpool_limits(limits=1, user_api="blas"):  # see bootstrap_shares
        for start in range(0, resamples, RESAMPLE_BLOCK):
            block = min(RESAMPLE_BLOCK, resamples - start)
            drawn = _account_draws(rng, accounts, block).astype(float)
            sums = drawn @ by_account
            corr = _pairwise_corr_from_sums(sums, k) if pairwise else _listwise_corr_from_sums(sums, drawn @ sizes, k)
            shares = _share_rows(corr)
            out.append(shares[np.isfinite(shares).all(axis=1)])
    return np.concatenate(out) if out else np.empty((0, k - 1))
