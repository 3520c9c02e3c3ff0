"""The simple baselines the issue asks for: per-account features, isolation forest and gradient boosting.

Published AMLworld baselines (Altman et al. 2023; see /work/shared/data/aml/AMLworld_baselines.md) are
gradient-boosted trees over per-account/graph features; this is the same idea at bench scale. Needs
scikit-learn (bench-only; not a dependency of raqib). The supervised model is scored out-of-fold
(5-fold cross-validation), so it never predicts an account it was trained on.
"""

from __future__ import annotations

import numpy as np

from raqib.monitoring import MonitoringEngine

FEATURES_SQL = """
SELECT account_id,
       count(*) FILTER (WHERE direction = 'in') AS n_in,
       count(*) FILTER (WHERE direction = 'out') AS n_out,
       count(DISTINCT counterparty) FILTER (WHERE direction = 'in') AS senders,
       count(DISTINCT counterparty) FILTER (WHERE direction = 'out') AS recipients,
       coalesce(sum(amount) FILTER (WHERE direction = 'in'), 0) AS total_in,
       coalesce(sum(amount) FILTER (WHERE direction = 'out'), 0) AS total_out,
       avg(amount) AS mean_amount, coalesce(stddev_pop(amount), 0) AS sd_amount,
       min(amount) AS min_amount, max(amount) AS max_amount,
       count(DISTINCT amount) / count(*) AS distinct_amount_share,
       count(DISTINCT date_trunc('day', ts)) AS active_days,
       date_diff('day', min(ts), max(ts)) AS span_days
FROM account_events
GROUP BY account_id
ORDER BY account_id
"""


def account_features(engine: MonitoringEngine) -> tuple[list[str], np.ndarray]:
    """Account ids and a feature matrix (``account_events`` must exist)."""
    table = engine.query(FEATURES_SQL)
    ids = [str(v) for v in table.column("account_id").to_pylist()]
    columns = [
        np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=float)
        for name in table.column_names[1:]
    ]
    return ids, np.nan_to_num(np.column_stack(columns))


def isolation_forest(features: np.ndarray, flagged_share: float, seed: int = 0) -> np.ndarray:
    """Unsupervised: flag the ``flagged_share`` most isolated accounts."""
    from sklearn.ensemble import IsolationForest

    contamination = min(0.5, max(flagged_share, 1e-4))
    model = IsolationForest(n_estimators=200, contamination=contamination, random_state=seed)
    return model.fit_predict(np.log1p(np.abs(features))) == -1


def gradient_boosting(features: np.ndarray, labels: np.ndarray, seed: int = 0) -> np.ndarray:
    """Supervised, out-of-fold: histogram gradient-boosted trees, 5-fold cross-validated predictions."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    model = HistGradientBoostingClassifier(max_iter=200, random_state=seed)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return cross_val_predict(model, features, labels, cv=folds) == 1
