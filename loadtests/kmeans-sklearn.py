"""The peer of `genoflow kmeans` in the benchmark: reads the same TSV, fits sklearn MiniBatchKMeans with the same
batch size, restarts and K, writes the centres as centroids.tsv (for kmeans-inertia.py) and prints the fit time and
steps. Usage: kmeans-sklearn.py TABLE.tsv K BATCH N_INIT SEED CENTROIDS.tsv"""
import sys
import time

import numpy as np
from sklearn.cluster import MiniBatchKMeans

table, k, batch, n_init, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
with open(table) as f:
    d = len(f.readline().split("\t")) - 1
x = np.loadtxt(table, delimiter="\t", skiprows=1, usecols=range(1, d + 1), dtype=np.float64)
start = time.perf_counter()
model = MiniBatchKMeans(n_clusters=k, batch_size=batch, n_init=n_init, random_state=seed).fit(x)
fit = time.perf_counter() - start
with open(out, "w") as f:
    f.write("cluster\t" + "\t".join(f"x{j + 1}" for j in range(d)) + "\n")
    for i, centre in enumerate(model.cluster_centers_):
        f.write(f"{i}\t" + "\t".join(repr(float(v)) for v in centre) + "\n")
print(f"{fit:.3f} {model.n_steps_}")
