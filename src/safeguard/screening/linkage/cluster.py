"""From scored pairs to identities, respecting the decisions people have made.

Pairs at or above the threshold join their records into one identity (connected components). A
confirmed pair always joins; a split pair never ends up in one identity: where the links above
the threshold would chain two split records together, that component is rebuilt greedily from
its strongest links down, skipping any link that would join the two sides of a split.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def cluster(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    *,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Component label (0..k-1) of each of `n` records, given edges as index arrays."""
    must = [(a, b) for a, b in must_link if a != b]
    cannot = {(min(a, b), max(a, b)) for a, b in cannot_link if a != b}
    if must:
        m = np.asarray(must, dtype=np.int64)
        left = np.concatenate([left, m[:, 0]])
        right = np.concatenate([right, m[:, 1]])
        probability = np.concatenate([probability, np.full(len(m), 2.0)])  # before any score
    if cannot and len(left):
        lo, hi = np.minimum(left, right), np.maximum(left, right)
        banned = np.array(sorted(cannot), dtype=np.int64)
        keys = lo * n + hi
        keep = ~np.isin(keys, banned[:, 0] * n + banned[:, 1])
        left, right, probability = left[keep], right[keep], probability[keep]
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    if not cannot:
        return labels
    conflicted = {labels[a] for a, b in cannot if labels[a] == labels[b]}
    if not conflicted:
        return labels
    return _split_conflicts(labels, left, right, probability, cannot, conflicted)


def _split_conflicts(
    labels: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    cannot: set[tuple[int, int]],
    conflicted: set[int],
) -> np.ndarray:
    labels = labels.copy()
    next_label = int(labels.max()) + 1
    in_conflict = np.isin(labels[left], list(conflicted))
    order = np.argsort(-probability[in_conflict], kind="stable")
    edges = list(zip(left[in_conflict][order], right[in_conflict][order], strict=True))
    members = {int(i) for i in np.flatnonzero(np.isin(labels, list(conflicted)))}
    parent = {i: i for i in members}
    group: dict[int, set[int]] = {i: {i} for i in members}
    apart: dict[int, set[int]] = {i: set() for i in members}
    for a, b in cannot:
        if a in apart and b in apart:
            apart[a].add(b)
            apart[b].add(a)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        ra, rb = find(int(a)), find(int(b))
        if ra == rb:
            continue
        if apart[ra] & group[rb]:
            continue  # this link would join the two sides of a split
        if len(group[ra]) < len(group[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        group[ra] |= group.pop(rb)
        apart[ra] |= apart.pop(rb)
    roots: dict[int, int] = {}
    for i in sorted(members):
        root = find(i)
        if root not in roots:
            roots[root] = next_label
            next_label += 1
        labels[i] = roots[root]
    return labels


def identity_ids(record_ids: Sequence[str], labels: np.ndarray) -> list[str]:
    """Each record's identity, named by the smallest record_id in it: stable from run to run
    while the identity's records stay together."""
    first: dict[int, str] = {}
    for rid, label in zip(record_ids, labels.tolist(), strict=True):
        if label not in first or rid < first[label]:
            first[label] = rid
    return [first[label] for label in labels.tolist()]
