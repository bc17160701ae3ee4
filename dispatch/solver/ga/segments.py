"""Time-warp segment algebra (concatenation in O(1)).

A segment summarises a sequence of visits as
    (dist, duration, time_warp, earliest_start, latest_start, load, first_node, last_node)
Concatenating two summaries costs O(1), so moves are evaluated from cached
prefix/suffix summaries instead of re-simulating routes. Time warp is the
minimal amount of "travel back in time" needed to respect all windows; it
is 0 exactly when the sequence is time-feasible, and it is what the search
penalises instead of rejecting infeasible moves outright.
"""

from __future__ import annotations


def cat(a: tuple, b: tuple, T: list) -> tuple:
    t = T[a[7]][b[6]]
    delta = a[1] - a[2] + t
    dwt = b[3] - delta - a[4]
    if dwt < 0.0:
        dwt = 0.0
    dtw = a[3] + delta - b[4]
    if dtw < 0.0:
        dtw = 0.0
    e = b[3] - delta
    if e < a[3]:
        e = a[3]
    lt = b[4] - delta
    if lt > a[4]:
        lt = a[4]
    return (
        a[0] + b[0] + t,
        a[1] + b[1] + t + dwt,
        a[2] + b[2] + dtw,
        e - dwt,
        lt + dtw,
        a[5] + b[5],
        a[6],
        b[7],
    )


def fold(nodes, seg: list, T: list) -> tuple:
    """Summary of a whole node sequence (O(len)); used for intra-route moves."""
    it = iter(nodes)
    s = seg[next(it)]
    for x in it:
        s = cat(s, seg[x], T)
    return s
