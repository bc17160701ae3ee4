"""The grade-band templates of table 2 and a first set of rules from profile to
recommendation. Both are data managers edit; this only loads the starting point."""

from django.db import migrations

STANDARD = [
    "投诉：专人调查、跟进处理并反馈结果",
    "咨询：即时答复，或登记后 24 小时内答复",
    "建议：承诺答复日期，答复是否采纳",
    "培训：定期开展政策法规宣讲与案例警示，营销知识与品牌培训",
    "品牌培育：品牌宣讲，新品与重点品牌推介，宣传卡片、手册、海报",
    "货源供应：按档位分配",
]
VALUE_ADDED = [
    "经营指导：卷烟陈列、明码标价、营销策略、可供货源、新品信息",
    "盈利分析：经营指导分析报告",
    "订货：网上订货",
]
# band, working days between visits (weekly / fortnightly / monthly), visit priority, items
TEMPLATES = [
    ("24-30", 5, 40.0, ["consultation_complaint", "brand_cultivation", "order_tracking",
                        "retailer_training", "shop_management"]),
    ("13-23", 10, 30.0, ["consultation_complaint", "brand_cultivation", "order_tracking",
                         "retailer_training"]),
    ("1-12", 20, 20.0, ["consultation_complaint", "brand_cultivation", "order_tracking"]),
]
# code, name, condition, params, items, reason, talking point, cycle, priority
RULES = [
    ("churn-warning", "流失预警", "churn_warning", {}, ["order_tracking", "consultation_complaint"],
     "订货频次或金额较自身均值下降 30% 以上", "了解订货下降的原因，跟进货源与订货问题", 5, 80),
    ("weak-non-tobacco", "非烟经营弱项", "weak_dimension", {"dimension": "non_tobacco_operations"},
     ["shop_management"], "非烟经营为弱项",
     "结合店铺面积与客流，建议增加非烟品类陈列，提升非烟销售占比", None, 60),
    ("weak-data", "数据运营弱项", "weak_dimension", {"dimension": "data_operations"},
     ["information_collection", "digital_tools"], "数据运营为弱项",
     "协助开通数据采集（POS 或扫码），提升数采销售比", None, 60),
    ("weak-terminal", "零售终端弱项", "weak_dimension", {"dimension": "retail_terminal"},
     ["terminal_maintenance", "modern_terminal"], "零售终端为弱项",
     "检查门头、收银台与聚合支付，必要时申请现代终端改造", None, 55),
    ("weak-cigarette", "卷烟经营弱项", "weak_dimension", {"dimension": "cigarette_operations"},
     ["brand_cultivation", "retailer_training"], "卷烟经营为弱项",
     "讲解品牌结构与陈列规范，推介重点品牌", None, 55),
    ("weak-basic", "基础经营弱项", "weak_dimension", {"dimension": "basic_operations"},
     ["struggling_support"], "基础经营为弱项", "了解经营困难，评估是否需要帮扶", None, 50),
    ("weak-trade-area", "商圈环境弱项", "weak_dimension", {"dimension": "trade_area"},
     ["shop_management"], "商圈环境为弱项", "商圈条件一般，建议差异化品类与会员运营", None, 30),
    ("falling-trend", "画像下滑", "falling_trend", {"drop": 5},
     ["shop_management"], "画像总分较上期下降 5 分以上", "回顾各维度变化，找出下降原因", 10, 50),
    ("tier-value", "价值客户", "tier", {"tier": "value"}, ["digital_tools", "cigar_business"],
     "年订购额 10 万元以上的价值客户", "介绍数字化工具与高端品类经营", None, 40),
    ("tier-basic", "基础客户", "tier", {"tier": "basic"}, ["retailer_training"],
     "年订购额 5 万元以下的基础客户", "结合培训提升经营能力", None, 30),
    ("rural", "农网客户", "market_type", {"market_type": "rural"}, ["rural_network"],
     "农网客户", "介绍农网专项服务", None, 40),
    ("strong-data", "数据运营强项", "strong_dimension", {"dimension": "data_operations"},
     ["integrity_group"], "数据运营为强项，可作诚信互助小组示范", "邀请加入诚信互助小组", None, 20),
]


def load(apps, schema_editor):
    Template = apps.get_model("strategy", "GradeBandTemplate")
    Rule = apps.get_model("strategy", "StrategyRule")
    Item = apps.get_model("demands", "CatalogueItem")
    for band, cycle, priority, items in TEMPLATES:
        template, _ = Template.objects.update_or_create(band=band, defaults={
            "visit_cycle_days": cycle, "visit_priority": priority,
            "standard_services": STANDARD + (["所有诉求均登记并答复"] if band == "1-12" else []),
            "value_added_services": VALUE_ADDED})
        template.items.set(Item.objects.filter(code__in=items))
    for code, name, condition, params, items, reason, talk, cycle, priority in RULES:
        rule, _ = Rule.objects.update_or_create(code=code, defaults={
            "name": name, "condition": condition, "condition_params": params, "reason": reason,
            "talking_point": talk, "visit_cycle_days": cycle, "priority": priority})
        rule.items.set(Item.objects.filter(code__in=items))


def unload(apps, schema_editor):
    apps.get_model("strategy", "StrategyRule").objects.filter(
        code__in=[r[0] for r in RULES]).delete()
    apps.get_model("strategy", "GradeBandTemplate").objects.filter(
        band__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0001_initial"),
        ("demands", "0002_catalogue"),
    ]
    operations = [migrations.RunPython(load, unload)]
