"""Inertia of given centres on a table, computed the same way for both tools: every row goes to its nearest centre and
the squared Euclidean distances are summed in float64. Usage: kmeans-inertia.py TABLE.tsv CENTROIDS.tsv"""
import sys

import numpy as np

table, centroids = sys.argv[1], sys.argv[2]
with open(table) as f:
    d = len(f.readline().split("\t")) - 1
x = np.loadtxt(table, delimiter="\t", skiprows=1, usecols=range(1, d + 1), dtype=np.float64)
c = np.loadtxt(centroids, delimiter="\t", skiprows=1, usecols=range(1, d + 1), dtype=np.float64, ndmin=2)
best = np.full(len(x), np.inf)
for centre in c:
    best = np.minimum(best, ((x - centre) ** 2).sum(axis=1))
print(repr(best.sum()))
