"""The SW six-dimension model (tables.json: sw_indicators, table 1 of the paper): six
dimensions, 36 third-level indicators with their maximum points, and a default scoring
rule for each. Weights are equal; managers tune rules and weights afterwards."""

from django.db import migrations


def bands(thresholds, points):
    return "bands", {"thresholds": thresholds, "points": points}


def linear(lower, upper):
    return "linear", {"lower": lower, "upper": upper}


def category(mapping, labels):
    return "category", {"map": mapping, "labels": labels}


YES_NO = ({"yes": 1.0, "no": 0.0}, {"yes": "有", "no": "无"})

# code, zh, en, group, indicators: (code, zh, en, max points, source, unit, (kind, params))
# Category maps give the share of the maximum points (0..1) each answer earns.
DIMENSIONS = [
    ("basic_operations", "基础经营", "basic operations", "people", [
        ("grade", "档位", "grade (1-30)", 15, "master", "", linear(1, 30)),
        ("years_in_business", "经营年份", "years in business", 15, "master", "年",
         bands([1, 3, 5, 10], [0.2, 0.4, 0.6, 0.8, 1.0])),
        ("franchise_type", "加盟类型", "franchise type", 10, "master", "",
         category({"chain": 1.0, "partner": 0.8, "independent": 0.5},
                  {"chain": "连锁加盟", "partner": "合作终端", "independent": "独立经营"})),
        ("market_type", "市场类型", "market type (城网 urban / 农网 rural)", 10, "master", "",
         category({"urban": 1.0, "rural": 0.6}, {"urban": "城网", "rural": "农网"})),
        ("business_format", "业态", "business format (e.g. tobacco specialty store)", 10,
         "master", "",
         category({"tobacco_liquor": 1.0, "supermarket": 0.9, "convenience": 0.8,
                   "grocery": 0.6, "entertainment": 0.5, "other": 0.4},
                  {"tobacco_liquor": "烟酒店", "supermarket": "超市", "convenience": "便利店",
                   "grocery": "食杂店", "entertainment": "娱乐服务类", "other": "其他"})),
        ("law_abiding", "守法经营情况", "law-abiding record", 20, "collection", "",
         category({"clean": 1.0, "minor": 0.5, "serious": 0.0},
                  {"clean": "无违规", "minor": "轻微违规", "serious": "严重违规"})),
        ("active_payment_share", "经营资金优势(主动支付占比)",
         "funding strength (share of active payments)", 10, "import", "%", linear(0, 100)),
        ("premises_ownership", "经营场所权属", "premises ownership", 10, "collection", "",
         category({"owned": 1.0, "long_lease": 0.7, "lease": 0.5, "other": 0.3},
                  {"owned": "自有", "long_lease": "长期租赁", "lease": "短期租赁",
                   "other": "其他"})),
    ]),
    ("data_operations", "数据运营", "data operations", "people", [
        ("data_collection_method", "数采方式", "data-collection method (POS / scanner / none)",
         30, "collection", "",
         category({"pos": 1.0, "scanner": 0.6, "none": 0.0},
                  {"pos": "POS机", "scanner": "扫码枪", "none": "无"})),
        ("data_collected_share", "数采销售比", "data-collected share of sales", 30, "import",
         "%", linear(0, 100)),
        ("three_complete_store", "三全门店优势", "'three-complete' store status", 40,
         "collection", "",
         category({"yes": 1.0, "partial": 0.5, "no": 0.0},
                  {"yes": "三全门店", "partial": "部分达标", "no": "未达标"})),
    ]),
    ("cigarette_operations", "卷烟经营", "cigarette operations", "goods", [
        ("cigarette_display_area", "卷烟陈列面积", "cigarette display area", 10, "collection",
         "m²", bands([1, 2, 3, 5], [0.2, 0.4, 0.6, 0.8, 1.0])),
        ("monthly_cigarette_amount", "月均卷烟订购金额", "monthly cigarette order amount", 20,
         "orders", "元", linear(0, 30000)),
        ("cigarette_skus_year", "近一年订购规格数", "SKUs ordered in the last year", 20,
         "orders", "", linear(0, 80)),
        ("price_compliance", "价格执行情况", "price compliance", 10, "collection", "%",
         linear(80, 100)),
        ("cigarette_skus_on_shelf", "店内上架规格个数", "SKUs on shelf", 20, "collection", "",
         linear(0, 100)),
        ("cigarette_margin", "卷烟毛利率", "cigarette gross margin", 20, "import", "%",
         bands([5, 8, 10, 12], [0.0, 0.25, 0.5, 0.75, 1.0])),
    ]),
    ("non_tobacco_operations", "非烟经营", "non-tobacco operations", "goods", [
        ("non_tobacco_display_area", "非烟陈列面积", "non-tobacco display area", 20,
         "collection", "m²", linear(0, 10)),
        ("monthly_non_tobacco_amount", "月均非烟订购金额", "monthly non-tobacco order amount",
         20, "orders", "元", linear(0, 15000)),
        ("non_tobacco_skus_year", "近一年订购SKU数", "non-tobacco SKUs ordered in the last year",
         20, "orders", "", linear(0, 40)),
        ("non_tobacco_margin", "非烟毛利率", "non-tobacco gross margin", 20, "import", "%",
         linear(0, 30)),
        ("non_tobacco_sales_share", "非烟销售占比", "non-tobacco share of sales", 10, "orders",
         "%", linear(0, 50)),
        ("online_channel", "线上销售渠道", "online sales channel", 10, "collection", "",
         category(*YES_NO)),
    ]),
    ("retail_terminal", "零售终端", "retail terminal", "place", [
        ("storefront_image", "门头形象", "storefront image", 15, "collection", "",
         category({"excellent": 1.0, "good": 0.7, "fair": 0.4, "poor": 0.0},
                  {"excellent": "优", "good": "良", "fair": "中", "poor": "差"})),
        ("business_area", "经营面积", "business area", 15, "import", "m²",
         bands([10, 20, 40, 80], [0.2, 0.4, 0.6, 0.8, 1.0])),
        ("daily_opening_hours", "日均经营时长", "daily opening hours", 20, "collection", "小时",
         linear(6, 16)),
        ("checkout_counter", "收银台", "checkout counter", 15, "collection", "",
         category({"modern": 1.0, "standard": 0.6, "none": 0.0},
                  {"modern": "智能收银台", "standard": "普通收银台", "none": "无"})),
        ("tasting_area", "卷烟品吸区", "tasting area", 10, "collection", "", category(*YES_NO)),
        ("promotion_space", "宣传资源面积", "promotion space", 15, "collection", "m²",
         linear(0, 4)),
        ("aggregated_payment", "聚合支付情况", "aggregated payment", 10, "collection", "",
         category(*YES_NO)),
    ]),
    ("trade_area", "商圈环境", "trade-area environment", "place", [
        ("trade_area_type", "商圈类型", "trade-area type", 25, "import", "",
         category({"commercial": 1.0, "transport": 0.9, "residential": 0.8, "school": 0.6,
                   "industrial": 0.5, "rural": 0.3},
                  {"commercial": "商业区", "transport": "交通枢纽", "residential": "居民区",
                   "school": "学校周边", "industrial": "工业区", "rural": "乡村"})),
        ("road_section_type", "路段类型", "road-section type", 25, "import", "",
         category({"main": 1.0, "secondary": 0.7, "branch": 0.4, "alley": 0.2},
                  {"main": "主干道", "secondary": "次干道", "branch": "支路", "alley": "街巷"})),
        ("population_density", "半公里范围内人口密度", "population density within 500 m", 25,
         "import", "人", linear(0, 20000)),
        ("area_character", "区域性质", "area character", 25, "import", "",
         category({"city_core": 1.0, "city_fringe": 0.7, "town": 0.5, "village": 0.3},
                  {"city_core": "城区核心", "city_fringe": "城郊", "town": "乡镇",
                   "village": "村庄"})),
    ]),
]


def as_points(kind, params, max_points):
    """Turn the shares above into points of the indicator's maximum."""
    if kind == "bands":
        return {**params, "points": [round(s * max_points, 2) for s in params["points"]]}
    if kind == "category":
        return {**params, "map": {k: round(s * max_points, 2) for k, s in params["map"].items()}}
    return params


def load(apps, schema_editor):
    Dimension = apps.get_model("profiling", "Dimension")
    Indicator = apps.get_model("profiling", "Indicator")
    for d_pos, (code, zh, en, group, indicators) in enumerate(DIMENSIONS):
        dimension, _ = Dimension.objects.update_or_create(
            code=code, defaults={"name": zh, "name_en": en, "group": group, "position": d_pos})
        for i_pos, (i_code, i_zh, i_en, points, source, unit, rule) in enumerate(indicators):
            kind, params = rule
            Indicator.objects.update_or_create(code=i_code, defaults={
                "dimension": dimension, "name": i_zh, "name_en": i_en, "position": i_pos,
                "max_points": points, "source": source, "unit": unit, "rule_kind": kind,
                "rule_params": as_points(kind, params, points)})


def unload(apps, schema_editor):
    apps.get_model("profiling", "Dimension").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("profiling", "0002_dimension_indicator_profilesnapshot_rawvalue")]

    operations = [migrations.RunPython(load, unload)]
