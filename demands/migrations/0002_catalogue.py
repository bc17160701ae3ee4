"""The service catalogue of tables 6-9 with default SLAs, skills and preconditions,
and the default working calendar (Mon-Fri 08:30-12:00, 14:00-17:30)."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

from demands.priority import priority_score

TABLES = Path(__file__).resolve().parent / "catalogue_tables.json"

# code per (tier, Chinese name), then defaults:
# skills, response h, resolution h, minutes, (impact, risk, pressure), preconditions, checklist,
# approval level
DEFAULTS = {
    ("inclusive", "客户咨询投诉服务"): ("consultation_complaint", ["consultation", "complaint_handling"],
                                4, 24, 30, (4, 4, 2), {}, [], ""),
    ("inclusive", "卷烟品牌培育服务"): ("brand_cultivation", ["brand_cultivation"], 8, 40, 45,
                                (3, 2, 2), {}, ["宣传物料来自公司当期发布清单", "未宣传低于指导零售价的价格"], ""),
    ("inclusive", "终端维护服务"): ("terminal_maintenance", ["terminal_maintenance"], 8, 24, 60,
                              (3, 3, 3), {}, [], ""),
    ("inclusive", "信息告知服务"): ("information_notice", ["consultation"], 8, 16, 15,
                              (3, 2, 1), {}, [], ""),
    ("inclusive", "卷烟订货跟踪服务"): ("order_tracking", ["order_tracking"], 4, 16, 20,
                                (4, 3, 2), {}, [], ""),
    ("inclusive", "其他个性服务"): ("inclusive_other", ["consultation"], 8, 40, 30,
                              (2, 2, 2), {}, [], ""),
    ("value_added", "困难客户帮扶"): ("struggling_support", ["shop_management", "data_analysis"],
                                16, 80, 90, (3, 3, 4), {"segments": ["basic"]},
                                ["已核实经营困难情况", "帮扶方案已与客户确认"], "district_lead"),
    ("value_added", "店铺管理服务"): ("shop_management", ["shop_management"], 8, 40, 60,
                                (3, 2, 3), {}, [], ""),
    ("value_added", "经营信息采集"): ("information_collection", ["data_collection"], 8, 40, 45,
                                (3, 4, 2), {}, ["客户已知情并同意采集经营信息"], ""),
    ("value_added", "零售客户培训"): ("retailer_training", ["training"], 16, 80, 90,
                                (3, 2, 3), {}, [], ""),
    ("value_added", "现代终端服务"): ("modern_terminal", ["modern_terminal", "digital_tools"],
                                16, 120, 120, (4, 3, 4),
                                {"grade_bands": ["24-30", "13-23"]},
                                ["终端改造方案符合公司现代终端标准"], "district_lead"),
    ("value_added", "其他个性服务"): ("value_added_other", ["shop_management"], 8, 40, 45,
                                (2, 2, 2), {}, [], ""),
    ("contemporary", "数字化工具服务"): ("digital_tools", ["digital_tools"], 8, 40, 45,
                                 (4, 2, 3), {}, [], ""),
    ("contemporary", "文明吸烟环境建设"): ("civilised_smoking", ["civilised_smoking"], 16, 80, 60,
                                  (3, 4, 2), {}, ["吸烟区标识规范张贴", "“禁止向未成年人售烟”标识在位"],
                                  ""),
    ("contemporary", "诚信互助小组服务"): ("integrity_group", ["credit_integrity"], 16, 80, 60,
                                  (2, 3, 2), {}, [], ""),
    ("contemporary", "信用体系建设"): ("credit_system", ["credit_integrity"], 16, 80, 45,
                                (3, 4, 2), {}, ["信用信息采集已获客户授权"], ""),
    ("contemporary", "流通品牌服务"): ("circulation_brands", ["brand_cultivation"], 8, 40, 45,
                                (2, 2, 2), {}, [], ""),
    ("contemporary", "农网专项服务"): ("rural_network", ["rural_network"], 16, 80, 90,
                                (3, 2, 4), {"market_types": ["rural"]}, [], ""),
    ("contemporary", "雪茄烟经营服务"): ("cigar_business", ["cigar"], 16, 80, 60, (2, 4, 4),
                                 {"grade_bands": ["24-30"],
                                  "business_formats": ["tobacco_liquor", "supermarket",
                                                       "entertainment"]},
                                 ["雪茄烟经营资质已核验"], "city_department"),
    ("contemporary", "其他个性服务"): ("contemporary_other", ["digital_tools"], 8, 40, 45,
                                (2, 2, 2), {}, [], ""),
}


def catalogue_rows():
    tables = json.loads(TABLES.read_text(encoding="utf-8"))
    for tier in ("inclusive", "value_added", "contemporary"):
        for order, (name_zh, name_en, score) in enumerate(tables[tier]["items"], start=1):
            yield tier, order, name_zh, name_en, score, DEFAULTS[(tier, name_zh)]


def load(apps, schema_editor):
    Item = apps.get_model("demands", "CatalogueItem")
    Skill = apps.get_model("accounts", "Skill")
    Period = apps.get_model("demands", "WorkingPeriod")
    for tier, order, name_zh, name_en, score, defaults in catalogue_rows():
        code, skills, response, resolution, minutes, scores, pre, checklist, approval = defaults
        impact, risk, pressure = scores
        item, _created = Item.objects.update_or_create(code=code, defaults={
            "tier": tier, "sort_order": order, "name_zh": name_zh, "name_en": name_en,
            "item_score": score, "is_personalised": name_zh == "其他个性服务",
            "grade_bands": pre.get("grade_bands", []),
            "market_types": pre.get("market_types", []),
            "business_formats": pre.get("business_formats", []),
            "segments": pre.get("segments", []), "checklist": checklist,
            "approval_level": approval, "response_hours": response,
            "resolution_hours": resolution, "service_minutes": minutes,
            "impact_scope": impact, "compliance_risk": risk, "capacity_pressure": pressure,
            "priority": priority_score(impact_scope=impact, compliance_risk=risk,
                                       capacity_pressure=pressure),
        })
        item.skills.set(Skill.objects.filter(code__in=skills))
    if not Period.objects.exists():
        Period.objects.bulk_create([
            Period(weekday=weekday, start=start, end=end)
            for weekday in range(5)
            for start, end in ((dt.time(8, 30), dt.time(12, 0)), (dt.time(14, 0), dt.time(17, 30)))
        ])


def unload(apps, schema_editor):
    apps.get_model("demands", "CatalogueItem").objects.filter(
        code__in=[d[0] for d in DEFAULTS.values()], demands__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial"), ("accounts", "0002_skills")]
    operations = [migrations.RunPython(load, unload)]
