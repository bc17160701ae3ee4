"""Benchmark driver: every method, same budget, one run; the verdict comes from our checker."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from dispatch.solver import Params

from .methods import Skip, run_greedy, run_ortools, run_ours, run_pyvrp, run_vroom
from .paths import default_data_dir


def _ours_with(workers):
    def run(problem, seconds, seed, params):
        return run_ours(problem, seconds, seed, params.replace(workers=workers))

    return run


METHODS = {
    "ours": run_ours,
    "ours1": _ours_with(1),
    "ours2": _ours_with(2),
    "ortools": run_ortools,
    "pyvrp": run_pyvrp,
    "vroom": run_vroom,
    "greedy": run_greedy,
}


def _cores(method: str, params: Params) -> int:
    """Cores a method may use: ours = its worker processes, every peer runs one thread."""
    if method == "ours":
        return params.workers
    if method in ("ours1", "ours2"):
        return int(method[-1])
    return 1


def _bks_table(path: Path) -> dict:
    f = path.parent / "bks.csv"
    if not f.exists():
        return {}
    out = {}
    with open(f) as fh:
        for r in csv.DictReader(fh):
            val = r.get("distance") or r.get("total_duration")
            if val:
                out[r["instance"]] = float(val)
    return out


def _is_trsp(path: Path) -> bool:
    head = path.read_text(errors="replace")[:400].upper()
    return "CREW COUNT" in head


def load_instance(path: Path):
    """(problem, kind, bks, vrplib_path, rounding)."""
    from .trsp import read_trsp
    from .vrplib import read_vrplib

    if _is_trsp(path):
        inst = read_trsp(path)
        key = path.name[:-4] if path.name.endswith(".txt") else path.stem
        return inst.problem, "trsp", _bks_table(path).get(key), None, None
    from .references import reference_cost

    inst = read_vrplib(path)
    bks = _bks_table(path).get(inst.name) or _bks_table(path).get(path.stem)
    kind = "vrplib"
    if bks is None and reference_cost(inst.name) is not None:
        # a generated instance: the gap is to our cached long PyVRP run
        bks, kind = reference_cost(inst.name), f"gen{inst.problem.n_tasks}"
    return inst.problem, kind, bks, path, inst.rounding


def _row(instance, kind, method, res, el, bks, note="", cores=1):
    if kind == "trsp":
        cost = sum(r.work for r in res.routes)  # total working time = travel + service + waiting
    else:
        cost = res.cost.travel_minutes
    complete = res.cost.n_unserved == 0
    gap = (100.0 * (cost - bks) / bks) if (bks and complete) else None
    return {
        "instance": instance,
        "kind": kind,
        "method": method,
        "cores": cores,
        "vehicles": sum(1 for r in res.routes if r.task_ids),
        "cost": round(cost, 2),
        "bks": bks,
        "gap_pct": None if gap is None else round(gap, 3),
        "seconds": round(el, 2),
        "feasible": bool(res.feasible and complete),
        "unserved": res.cost.n_unserved,
        "violations": len(res.violations),
        "note": note,
    }


def _print(row):
    gap = "-" if row["gap_pct"] is None else f"{row['gap_pct']:7.2f}%"
    print(
        f"{row['instance']:<22} {row['method']:<8} cores={row['cores']} veh={row['vehicles']:>3} "
        f"cost={row['cost']:>10.2f} gap={gap:>9} t={row['seconds']:>6.2f}s "
        f"feasible={row['feasible']} unserved={row['unserved']}"
        f"{(' ' + row['note']) if row['note'] else ''}",
        flush=True,
    )


def run_instances(paths, methods, seconds, seed, params):
    rows = []
    for p in paths:
        p = Path(p)
        problem, kind, bks, vpath, rounding = load_instance(p)
        name = p.name.replace(".txt", "") if kind == "trsp" else problem.name
        # TRSP objective is total working time: charge it directly (travel only breaks ties)
        mp = params.replace(travel_weight=0.01, work_weight=1.0) if kind == "trsp" else params
        for m in methods:
            try:
                if m == "pyvrp":  # one thread: PyVRP's solve is single-threaded
                    res, el = run_pyvrp(problem, seconds, seed, mp, vpath, rounding or "trunc1")
                else:
                    res, el = METHODS[m](problem, seconds, seed, mp)
            except Skip as e:
                print(f"{name:<22} {m:<8} skipped: {e}", flush=True)
                rows.append({"instance": name, "kind": kind, "method": m, "note": f"skipped: {e}"})
                continue
            row = _row(name, kind, m, res, el, bks, cores=_cores(m, mp))
            _print(row)
            rows.append(row)
    return rows


CITY_WEIGHTS = {"lateness_weight": 2.0, "imbalance_weight": 0.1}


def _city_problems(districts, seeds):
    """(label, Problem): the 3,000-task city or one-district cities of the given sizes."""
    from .city import make_city

    for n in districts:
        if n == 0:
            yield "city3000", make_city()
            continue
        for sd in seeds:
            # a real district: ~30 visits per specialist, one district, skills and pins
            yield (
                f"district{n}s{sd}",
                make_city(n_tasks=n, n_specialists=max(1, round(n / 30)), n_districts=1, seed=sd),
            )


def run_city(methods, seconds, seed, params, districts=(0,), seeds=(7,)):
    rows = []
    for label, problem in _city_problems(districts, seeds):
        total_pri = sum(t.priority for t in problem.tasks)
        print(
            f"{label}: {problem.n_tasks} tasks, {problem.n_specialists} specialists",
            flush=True,
        )
        for m in methods:
            if m == "pyvrp":
                print(f"{label:<14} pyvrp    skipped: no skills/radius/pins in PyVRP's model")
                continue
            try:
                res, el = METHODS[m](problem, seconds, seed, params)
            except Skip as e:
                print(f"{label:<14} {m:<8} skipped: {e}", flush=True)
                continue
            mand_un = sum(1 for u in res.unserved if u.mandatory)
            row = {
                "instance": label,
                "kind": "city",
                "method": m,
                "cores": _cores(m, params),
                "budget": seconds,
                "seconds": round(el, 2),
                "served_priority": res.cost.served_priority,
                "total_priority": total_pri,
                "travel_min": round(res.cost.travel_minutes, 1),
                "lateness_min": round(res.cost.lateness_minutes, 1),
                "imbalance_mad_min": round(res.cost.imbalance_minutes, 1),
                "served": res.cost.n_served,
                "unserved": res.cost.n_unserved,
                "mandatory_unserved": mand_un,
                "violations": len(res.violations),
                "feasible": res.feasible,
                "cost": round(res.cost.total, 1),
            }
            print(
                f"{label:<14} {m:<7} cores={row['cores']} cost={row['cost']:>9.1f} "
                f"served={row['served']}/{problem.n_tasks} (mandatory unserved {mand_un}) "
                f"priority={row['served_priority']:.0f}/{total_pri:.0f} "
                f"travel={row['travel_min']:.0f}min lateness={row['lateness_min']:.0f}min "
                f"MAD={row['imbalance_mad_min']:.0f}min violations={row['violations']} "
                f"t={row['seconds']:.1f}s",
                flush=True,
            )
            curve = _curve(res.stats.get("history") or [], seconds)
            if curve:
                row["curve"] = curve
                print(f"{'':<14} {m:<7} best search cost by time: {curve}", flush=True)
            rows.append(row)
    _city_summary(rows)
    return rows


def _curve(history, seconds):
    """Time-to-target: the search's best (penalised-exact) cost at a few points in time."""
    if not history:
        return ""
    marks = [t for t in (2, 5, 10, 20, 30, 45, 60, 120) if t <= seconds]
    out = []
    for t in marks:
        best = [c for _, c, el in history if el <= t]
        if best:
            out.append(f"{t}s:{min(best):.0f}")
    return " ".join(out)


def _city_summary(rows):
    by = {}
    for r in rows:
        by.setdefault(r["method"], []).append(r)
    if len(by) < 2:
        return
    print("\ncity summary (sum over instances; cost is our objective, checked by our checker):")
    for m, rs in by.items():
        print(
            f"  {m:<7} cores={rs[0]['cores']} n={len(rs)} cost={sum(r['cost'] for r in rs):.0f} "
            f"served={sum(r['served'] for r in rs)} "
            f"mandatory_unserved={sum(r['mandatory_unserved'] for r in rs)} "
            f"violations={sum(r['violations'] for r in rs)}"
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.solver")
    ap.add_argument(
        "--instances", nargs="*", default=[], help="VRPLIB (.vrp) or Pillac TRSP (.txt) files"
    )
    ap.add_argument(
        "--data", default=str(default_data_dir()), help="shared data dir (default ../shared/bench)"
    )
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--methods", default="ours,ortools,pyvrp,greedy")
    ap.add_argument("--csv", default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--city", action="store_true", help="run the synthetic Shantou city scenario")
    ap.add_argument(
        "--districts",
        default="",
        help="one-district cities of these sizes (e.g. 300,500,600; ~30 tasks per specialist)",
    )
    ap.add_argument("--district-seeds", default="1,2,3")
    ap.add_argument(
        "--generated",
        default="",
        help="generated Solomon/GH-style instances of these sizes (e.g. 200,400,600)",
    )
    ap.add_argument("--classes", default="C1,R1,RC1,C2,R2,RC2")
    a = ap.parse_args(argv)
    methods = [m.strip() for m in a.methods.split(",") if m.strip()]
    bad = [m for m in methods if m not in METHODS]
    if bad:
        ap.error(f"unknown method(s) {bad}; choose from {sorted(METHODS)}")
    params = Params(workers=a.workers)
    paths = []
    for s in a.instances:
        p = Path(s)
        if not p.exists() and (Path(a.data) / s).exists():
            p = Path(a.data) / s
        if not p.exists():
            ap.error(f"no such instance file: {s}")
        paths.append(p)
    if a.generated:
        import tempfile

        from .generate import write_suite

        tmp = Path(tempfile.mkdtemp(prefix="zhifu-gen-"))
        sizes = [int(x) for x in a.generated.split(",")]
        paths += write_suite(tmp, sizes, a.classes.split(","), seed=1)
    rows = []
    if paths:
        rows += run_instances(paths, methods, a.seconds, a.seed, params)
        _summary(rows)
    if a.city or a.districts:
        districts = ([0] if a.city else []) + [int(x) for x in a.districts.split(",") if x]
        seeds = [int(x) for x in a.district_seeds.split(",")]
        rows += run_city(
            methods, a.seconds, a.seed, params.replace(**CITY_WEIGHTS), districts, seeds
        )
    if a.csv:
        keys = []
        for r in rows:
            for k in r:
                if k not in keys:
                    keys.append(k)
        with open(a.csv, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            w.writerows(rows)
    return 0


def _summary(rows):
    by = {}
    for r in rows:
        if r.get("gap_pct") is None and "cost" not in r:
            continue
        by.setdefault((r["kind"], r["method"]), []).append(r)
    print("\nsummary (mean / worst gap over instances with a BKS and all tasks served):")
    for (kind, m), rs in sorted(by.items()):
        gaps = [r["gap_pct"] for r in rs if r.get("gap_pct") is not None]
        feas = sum(1 for r in rs if r.get("feasible"))
        if gaps:
            print(
                f"  {kind:<7} {m:<8} cores={rs[0].get('cores', 1)} n={len(rs):>3} "
                f"feasible={feas}/{len(rs)} mean_gap={sum(gaps) / len(gaps):6.2f}% "
                f"worst_gap={max(gaps):6.2f}%"
            )
        else:
            print(
                f"  {kind:<7} {m:<8} cores={rs[0].get('cores', 1)} n={len(rs):>3} "
                f"feasible={feas}/{len(rs)}"
            )
