"""The peer of `genoflow kmeans` in the benchmark: reads the same TSV, fits sklearn MiniBatchKMeans with the same
batch size, restarts and K, and prints the fit time and the inertia on the full data (sum of squared distances to the
assigned centre). Usage: kmeans-sklearn.py TABLE.tsv K BATCH N_INIT SEED"""
import sys
import time

import numpy as np
from sklearn.cluster import MiniBatchKMeans

table, k, batch, n_init, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
with open(table) as f:
    d = len(f.readline().split("\t")) - 1
x = np.loadtxt(table, delimiter="\t", skiprows=1, usecols=range(1, d + 1), dtype=np.float64)
start = time.perf_counter()
model = MiniBatchKMeans(n_clusters=k, batch_size=batch, n_init=n_init, random_state=seed).fit(x)
fit = time.perf_counter() - start
distances = ((x - model.cluster_centers_[model.labels_]) ** 2).sum()
print(f"fit_seconds {fit:.2f} inertia {distances!r} steps {model.n_steps_}")
