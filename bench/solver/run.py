"""Benchmark driver: every method, same budget, one run; the verdict comes from our checker."""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from dispatch.solver import Params

from .methods import Skip, run_greedy, run_ortools, run_ours, run_pyvrp
from .paths import default_data_dir

METHODS = {"ours": run_ours, "ortools": run_ortools, "pyvrp": run_pyvrp, "greedy": run_greedy}


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
    inst = read_vrplib(path)
    return (
        inst.problem,
        "vrplib",
        _bks_table(path).get(inst.name) or _bks_table(path).get(path.stem),
        path,
        inst.rounding,
    )


def _row(instance, kind, method, res, el, bks, note=""):
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
        f"{row['instance']:<22} {row['method']:<8} veh={row['vehicles']:>3} "
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
        name = problem.name if kind == "vrplib" else p.name.replace(".txt", "")
        # TRSP objective is total working time: charge it directly (travel only breaks ties)
        mp = params.replace(travel_weight=0.01, work_weight=1.0) if kind == "trsp" else params
        for m in methods:
            try:
                if m == "pyvrp":
                    res, el = run_pyvrp(problem, seconds, seed, mp, vpath, rounding or "trunc1")
                else:
                    res, el = METHODS[m](problem, seconds, seed, mp)
            except Skip as e:
                print(f"{name:<22} {m:<8} skipped: {e}", flush=True)
                rows.append({"instance": name, "kind": kind, "method": m, "note": f"skipped: {e}"})
                continue
            row = _row(name, kind, m, res, el, bks)
            _print(row)
            rows.append(row)
    return rows


def run_city(methods, seconds, seed, params):
    from .city import make_city

    t = time.monotonic()
    problem = make_city()
    print(
        f"city: {problem.n_tasks} tasks, {problem.n_specialists} specialists, "
        f"built in {time.monotonic() - t:.1f}s",
        flush=True,
    )
    total_pri = sum(t.priority for t in problem.tasks)
    rows = []
    for m in methods:
        if m == "pyvrp":
            print("city     pyvrp    skipped: no skills/radius/pins in PyVRP's model", flush=True)
            continue
        res, el = METHODS[m](problem, seconds, seed, params)
        mand_un = sum(1 for u in res.unserved if u.mandatory)
        row = {
            "instance": "city",
            "kind": "city",
            "method": m,
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
            f"city     {m:<8} served_priority={row['served_priority']:.0f}/{total_pri:.0f} "
            f"served={row['served']} "
            f"travel={row['travel_min']:.0f}min lateness={row['lateness_min']:.0f}min "
            f"imbalance(MAD)={row['imbalance_mad_min']:.0f}min unserved={row['unserved']} "
            f"(mandatory {mand_un}) violations={row['violations']} t={row['seconds']:.1f}s",
            flush=True,
        )
        rows.append(row)
    return rows


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
    rows = []
    if paths:
        rows += run_instances(paths, methods, a.seconds, a.seed, params)
        _summary(rows)
    if a.city:
        rows += run_city(
            methods, a.seconds, a.seed, params.replace(lateness_weight=2.0, imbalance_weight=0.1)
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
                f"  {kind:<7} {m:<8} n={len(rs):>3} feasible={feas}/{len(rs)} "
                f"mean_gap={sum(gaps) / len(gaps):6.2f}% "
                f"worst_gap={max(gaps):6.2f}%"
            )
        else:
            print(f"  {kind:<7} {m:<8} n={len(rs):>3} feasible={feas}/{len(rs)}")
