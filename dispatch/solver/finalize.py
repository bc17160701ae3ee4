"""A plan made final: scored exactly, explained, and passed through the independent
checker. Its own module so that the search (``api``) and the decomposition of large
problems (``decompose``) both call it without importing each other."""

from __future__ import annotations

from collections.abc import Sequence

from .checker import check
from .cost import evaluate
from .eligibility import Eligibility, compute_eligibility
from .explain import explain
from .params import Params
from .problem import Problem
from .result import Result, Unserved


def _unserved_reason(problem: Problem, params: Params, elig: Eligibility, i: int) -> str:
    if i in elig.reasons:
        return elig.reasons[i]
    t = problem.tasks[i]
    if t.mandatory or t.pinned_to is not None:
        return "could not be fitted into any eligible specialist's day (windows/shift/capacity)"
    return (
        f"optional: serving it would cost more than its penalty "
        f"({params.unserved_weight * t.priority:g}) or no feasible slot was left"
    )


def finalize(
    problem: Problem,
    params: Params,
    routes: list,
    unserved: Sequence[int],
    stats: dict,
    elig: Eligibility | None = None,
) -> Result:
    """Score a plan exactly, explain it and run the independent checker on it."""
    elig = elig if elig is not None else compute_eligibility(problem, params)
    served = {i for r in routes for i in r}
    unserved = sorted(set(unserved) | {i for i in range(problem.n_tasks) if i not in served})
    rr, cb = evaluate(problem, params, routes, unserved)
    reasons = {i: _unserved_reason(problem, params, elig, i) for i in unserved}
    rep = check(
        problem,
        {problem.specialists[k].id: [problem.tasks[i].id for i in r] for k, r in enumerate(routes)},
        {problem.tasks[i].id: reasons[i] for i in unserved},
        params.allow_cross_district,
    )
    uns = tuple(
        Unserved(
            problem.tasks[i].id,
            reasons[i],
            bool(problem.tasks[i].mandatory),
            problem.tasks[i].priority,
        )
        for i in unserved
    )
    return Result(
        rr,
        uns,
        cb,
        explain(problem, params, elig, routes, rr, reasons),
        rep.ok,
        tuple(f"{v.kind}: {v.message}" for v in rep.violations),
        dict(stats),
    )
