"""Writes the k-means benchmark table: N rows x D features around K Gaussian centres (sd 1, centres sd 5), as TSV
with sample_id and x1..xD, plus population labels in a second file. Usage: kmeans-blobs.py OUT.tsv N D K SEED"""
import sys

import numpy as np

out, n, d, k, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = np.random.default_rng(seed)
centres = rng.normal(0, 5, (k, d))
labels = rng.integers(0, k, n)
with open(out, "w") as f:
    f.write("sample_id\t" + "\t".join(f"x{j + 1}" for j in range(d)) + "\n")
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        x = centres[labels[start:stop]] + rng.normal(0, 1, (stop - start, d))
        ids = np.array([f"s{i}" for i in range(start, stop)], dtype=object)
        np.savetxt(f, np.column_stack([ids, x]), fmt=["%s"] + ["%.10g"] * d, delimiter="\t")
