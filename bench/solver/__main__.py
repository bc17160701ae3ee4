"""Benchmarks, e.g.
python -m bench.solver --instances PATH... --seconds 10 \
    --methods ours,ortools,pyvrp,greedy --csv out.csv
python -m bench.solver --city --seconds 55 --methods ours,ortools,greedy
"""

from .run import main

if __name__ == "__main__":
    raise SystemExit(main())
