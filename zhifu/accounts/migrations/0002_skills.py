"""The skills tasks need and specialists have, after the Shaoxing capability model
(seed 003: needs matched to specialist skills), one per kind of catalogue work."""

from django.db import migrations

SKILLS = [
    ("consultation", "咨询答复", "answering consultations on policy, supply and ordering"),
    ("complaint_handling", "投诉处理", "investigating and following up complaints"),
    ("brand_cultivation", "品牌培育", "brand briefings and promotion of new and key brands"),
    ("terminal_maintenance", "终端维护", "maintaining display, pricing and terminal equipment"),
    ("order_tracking", "订货跟踪", "following orders, allocation and delivery"),
    ("data_collection", "数采维护", "keeping POS / scanner data collection running"),
    ("data_analysis", "数据分析", "business analysis and profit reports"),
    ("shop_management", "店铺管理", "shop layout, stock and non-tobacco guidance"),
    ("training", "培训授课", "training retailers on policy and marketing"),
    ("modern_terminal", "现代终端", "building modern retail terminals"),
    ("digital_tools", "数字化工具", "digital tools, online ordering and aggregated payment"),
    ("member_operation", "会员运营", "customer traffic, membership and in-shop events"),
    ("credit_integrity", "诚信建设", "credit system and integrity mutual-aid groups"),
    ("civilised_smoking", "文明吸烟", "civilised smoking environment"),
    ("cigar", "雪茄经营", "cigar business"),
    ("rural_network", "农网服务", "rural-network special services"),
]


def add_skills(apps, schema_editor):
    Skill = apps.get_model("accounts", "Skill")
    for code, name, description in SKILLS:
        Skill.objects.update_or_create(code=code, defaults={"name": name,
                                                            "description": description})


def remove_skills(apps, schema_editor):
    apps.get_model("accounts", "Skill").objects.filter(code__in=[s[0] for s in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_skills, remove_skills)]
