#!/usr/bin/env python3
"""Centralised scikit-learn reference for `genoflow train`, on the same features built independently.

Reads the PLINK .bed/.bim/.fam GenoFlow imported, the phenotype table and GenoFlow's predictions.tsv (for the rows
and the train/test split), standardises every variant and covariate over the training rows ((x - mean) / sd with the
population sd, missing -> 0, constant features -> 0), fits the sklearn model that matches GenoFlow's objective
  (1/n) sum loss + l1 |w|_1 + (l2/2) |w|^2
and prints one JSON object: metrics, timings (loading and fitting separately), and optionally the coefficients.
  linear, l1 = 0:   Ridge(alpha = n * l2)
  linear, l1 > 0:   ElasticNet(alpha = l1 + l2, l1_ratio = l1 / (l1 + l2))
  logistic, l1 = 0: LogisticRegression(C = 1 / (n * l2))
With --cv the penalty is chosen by scikit-learn itself over GenoFlow's l2 range (10^-3 .. 10^2, 41 points):
  linear:   RidgeCV(alphas = n * l2s) (efficient leave-one-out)
  logistic: LogisticRegressionCV(Cs = 1 / (n * l2s), cv = StratifiedKFold(5, shuffle), scoring = "roc_auc")
and "chosen_l2" reports the choice on GenoFlow's scale.
With --gcv L2,L2,... (linear) "gcv" lists half the generalised cross-validation score at each l2,
  (RSS / n) / (1 - df / n)^2 / 2, RSS from Ridge(alpha = n * l2) and df = 1 + sum s^2 / (s^2 + n * l2) over the
  singular values s of the centred training features (the intercept's degree of freedom is the 1).
With --loo L2,L2,... (linear) "loo" lists half RidgeCV's own leave-one-out mean squared error at each l2
  (RidgeCV(alphas = n * l2s, store_cv_values=True).cv_values_ averaged over the rows) and "loo_chosen_l2" its choice.
"""
import argparse, json, time
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--bed", required=True)
p.add_argument("--phenotypes", required=True)
p.add_argument("--target", required=True)
p.add_argument("--covariates", default="")
p.add_argument("--split", required=True, help="predictions.tsv of genoflow train (sample_id prediction split)")
p.add_argument("--model", choices=["linear", "logistic"], required=True)
p.add_argument("--l1", type=float, default=0.0)
p.add_argument("--l2", type=float, default=0.0)
p.add_argument("--class-weight", choices=["none", "balanced"], default="none")
p.add_argument("--cv", action="store_true", help="choose the penalty by scikit-learn's own cross-validation")
p.add_argument("--gcv", help="comma-separated l2 values: report generalised cross-validation scores there")
p.add_argument("--loo", help="comma-separated l2 values: report RidgeCV's leave-one-out scores there")
p.add_argument("--coef", help="write intercept then coefficients here, one per line")
p.add_argument("--sklearn-defaults", action="store_true",
               help="fit as users run sklearn (Ridge solver 'auto', LogisticRegression tol 1e-4) instead of to 1e-10")
a = p.parse_args()

t0 = time.perf_counter()
fam = [line.split()[1] for line in open(a.bed + ".fam")]
m = sum(1 for _ in open(a.bed + ".bim"))
n_all = len(fam)
stride = (n_all + 3) // 4
raw = np.fromfile(a.bed + ".bed", dtype=np.uint8)
assert raw[0] == 0x6C and raw[1] == 0x1B and raw[2] == 1
packed = raw[3:].reshape(m, stride)
lookup = np.array([2.0, np.nan, 1.0, 0.0])
codes = np.stack([(packed >> (2 * k)) & 3 for k in range(4)], axis=2).reshape(m, stride * 4)[:, :n_all]
index = {s: i for i, s in enumerate(fam)}
rows, test = [], []
with open(a.split) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        fields = line.rstrip("\n").split("\t")
        rows.append(index[fields[0]])
        test.append(fields[header.index("split")] == "test")
rows = np.array(rows)
test = np.array(test)
G = lookup[codes[:, rows].T]  # samples x variants
del codes
ph = {}
with open(a.phenotypes) as f:
    cols = f.readline().rstrip("\n").split("\t")
    for line in f:
        fields = line.rstrip("\n").split("\t")
        ph[fields[0]] = fields
def column(name):
    c = cols.index(name)
    return np.array([float(ph[fam[r]][c]) if ph[fam[r]][c] not in ("", "NA", "NaN", "nan", ".", "na") else np.nan for r in rows])
y = column(a.target)
covs = [c for c in a.covariates.split(",") if c]
X = np.hstack([G] + [column(c)[:, None] for c in covs]) if covs else G
del G
train = ~test
mean = np.nanmean(X[train], axis=0)
sd = np.nanstd(X[train], axis=0)
inv = np.where(sd > 1e-6, 1 / np.where(sd > 0, sd, 1), 0.0)
X = (X - mean) * inv
X[np.isnan(X)] = 0.0
load_seconds = time.perf_counter() - t0

n = int(train.sum())
t1 = time.perf_counter()
l2s = np.logspace(-3, 2, 41)
if a.cv and a.model == "linear":
    from sklearn.linear_model import RidgeCV
    model = RidgeCV(alphas=n * l2s)
elif a.cv:
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold
    model = LogisticRegressionCV(Cs=1 / (n * l2s), cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring="roc_auc", max_iter=5000,
                                 class_weight=None if a.class_weight == "none" else a.class_weight)
elif a.model == "linear" and a.l1 == 0:
    from sklearn.linear_model import Ridge
    model = Ridge(alpha=n * a.l2, fit_intercept=True, solver="auto" if a.sklearn_defaults else "cholesky")
elif a.model == "linear":
    from sklearn.linear_model import ElasticNet
    model = ElasticNet(alpha=a.l1 + a.l2, l1_ratio=a.l1 / (a.l1 + a.l2), tol=1e-10, max_iter=100000, selection="cyclic")
else:
    from sklearn.linear_model import LogisticRegression
    model = LogisticRegression(C=1 / (n * a.l2), tol=1e-4 if a.sklearn_defaults else 1e-10, max_iter=1000 if a.sklearn_defaults else 100000,
                               class_weight=None if a.class_weight == "none" else a.class_weight)
model.fit(X[train], y[train])
fit_seconds = time.perf_counter() - t1

from sklearn.metrics import r2_score, mean_squared_error, roc_auc_score, log_loss
out = {"load_seconds": load_seconds, "fit_seconds": fit_seconds, "features": X.shape[1], "train": n, "test": int(test.sum())}
for name, mask in (("train", train), ("test", test)):
    if mask.sum() == 0:
        continue
    if a.model == "linear":
        pred = model.predict(X[mask])
        out[name + "_r2"] = r2_score(y[mask], pred)
        out[name + "_rmse"] = mean_squared_error(y[mask], pred) ** 0.5
    else:
        prob = model.predict_proba(X[mask])[:, 1]
        out[name + "_auc"] = roc_auc_score(y[mask], prob)
        out[name + "_log_loss"] = log_loss(y[mask], prob)
        from sklearn.metrics import recall_score, average_precision_score
        out[name + "_recall"] = recall_score(y[mask], prob >= 0.5)
        out[name + "_average_precision"] = average_precision_score(y[mask], prob)
if a.cv:
    out["chosen_l2"] = float(model.alpha_) / n if a.model == "linear" else 1 / (n * float(np.ravel(model.C_)[0]))
if a.gcv:
    from sklearn.linear_model import Ridge
    Xt, yt = X[train], y[train]
    s = np.linalg.svd(Xt - Xt.mean(axis=0), compute_uv=False)
    scores = []
    for l2 in (float(v) for v in a.gcv.split(",")):
        rss = float(((yt - Ridge(alpha=n * l2, solver="cholesky").fit(Xt, yt).predict(Xt)) ** 2).sum())
        df = 1 + float((s ** 2 / (s ** 2 + n * l2)).sum())
        scores.append(rss / n / (1 - df / n) ** 2 / 2)
    out["gcv"] = scores
if a.loo:
    from sklearn.linear_model import RidgeCV
    l2v = np.array([float(v) for v in a.loo.split(",")])
    loo = RidgeCV(alphas=n * l2v, store_cv_values=True).fit(X[train], y[train])
    out["loo"] = [float(v) / 2 for v in loo.cv_values_.mean(axis=0)]
    out["loo_chosen_l2"] = float(loo.alpha_) / n
if a.coef:
    np.savetxt(a.coef, np.concatenate([[float(np.ravel(model.intercept_)[0])], np.ravel(model.coef_)]), fmt="%.17g")
print(json.dumps(out))
