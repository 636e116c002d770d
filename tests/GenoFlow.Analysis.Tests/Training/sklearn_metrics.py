#!/usr/bin/env python3
"""scikit-learn's metrics of GenoFlow's own predictions (predictions.tsv), per split, for checking the definitions of
the metrics GenoFlow computes with Microsoft.ML. Prints one JSON object {split: {metric: value}}."""
import argparse, json
import numpy as np
from sklearn import metrics

p = argparse.ArgumentParser()
p.add_argument("--predictions", required=True)
p.add_argument("--phenotypes", required=True)
p.add_argument("--target", required=True)
p.add_argument("--model", choices=["linear", "logistic"], required=True)
p.add_argument("--threshold", type=float, default=0.5)
a = p.parse_args()

with open(a.phenotypes) as f:
    cols = f.readline().rstrip("\n").split("\t")
    c = cols.index(a.target)
    target = {fields[0]: float(fields[c]) for fields in (line.rstrip("\n").split("\t") for line in f)}
split = {}
with open(a.predictions) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        fields = line.rstrip("\n").split("\t")
        name = fields[header.index("split")] if "split" in header else "all"
        split.setdefault(name, ([], []))
        split[name][0].append(target[fields[0]])
        split[name][1].append(float(fields[1]))
out = {}
for name, (y, pred) in split.items():
    y, pred = np.array(y), np.array(pred)
    if a.model == "linear":
        out[name] = {"r2": metrics.r2_score(y, pred), "mse": metrics.mean_squared_error(y, pred), "mae": metrics.mean_absolute_error(y, pred)}
    else:
        label = pred >= a.threshold
        tn, fp, fn, tp = metrics.confusion_matrix(y, label, labels=[0, 1]).ravel()
        out[name] = {"auc": metrics.roc_auc_score(y, pred), "average_precision": metrics.average_precision_score(y, pred), "log_loss": metrics.log_loss(y, pred),
                     "accuracy": metrics.accuracy_score(y, label), "precision": metrics.precision_score(y, label, zero_division=0),
                     "recall": metrics.recall_score(y, label), "f1": metrics.f1_score(y, label), "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)}
print(json.dumps(out))
