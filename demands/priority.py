"""Catalogue priority from expert scores. Pure, so the data migration can use it too.

    priority = 25 × (0.40 × impact scope + 0.35 × compliance risk + 0.25 × capacity pressure − 1)

Each score is 1–5, so the priority runs from 0 (all 1) to 100 (all 5). Impact scope
weighs most (how many retailers and how much business it touches), then compliance
risk (what goes wrong if it is late), then capacity pressure (how scarce the skill is).
"""

WEIGHTS = {"impact_scope": 0.40, "compliance_risk": 0.35, "capacity_pressure": 0.25}


def priority_score(*, impact_scope: int, compliance_risk: int, capacity_pressure: int) -> int:
    for name, value in (("impact_scope", impact_scope), ("compliance_risk", compliance_risk),
                        ("capacity_pressure", capacity_pressure)):
        if not 1 <= int(value) <= 5:
            raise ValueError(f"{name} must be 1-5, got {value}")
    weighted = (WEIGHTS["impact_scope"] * impact_scope
                + WEIGHTS["compliance_risk"] * compliance_risk
                + WEIGHTS["capacity_pressure"] * capacity_pressure)
    return round(25 * (weighted - 1))
