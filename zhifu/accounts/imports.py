"""Import and export of retailers and specialists (CSV / Excel).

An import is first a preview: every bad row is listed with its line and reason.
Committing writes all the good rows in one transaction, or nothing. Rows are
keyed by licence number (retailers) or employee number (specialists), so the
same file imported twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhifu.access import WriteScope
from zhifu.core.masking import mask_phone
from zhifu.core.privacy import record_unmasked

from .choices import (
    BusinessFormat,
    Education,
    FranchiseType,
    MarketType,
    RetailerStatus,
    Role,
    Title,
)
from .models import (
    ConsentRecord,
    District,
    Grid,
    Retailer,
    Skill,
    Specialist,
    SpecialistSkill,
    User,
)
from .policies import can_view_unmasked
from .tabular import Column, ImportReport, RowParser, classify_changes, read_table, write_table
from .validators import validate_id_number

RETAILER_COLUMNS = [
    Column("licence_no", "许可证号", "Licence number", required=True),
    Column("shop_name", "店铺名称", "Shop name", required=True),
    Column("owner_name", "负责人", "Owner", required=True),
    Column("phone", "联系电话", "Phone"),
    Column("address", "地址", "Address"),
    Column("latitude", "纬度", "Latitude", required=True),
    Column("longitude", "经度", "Longitude", required=True),
    Column("district", "片区", "District", required=True),
    Column("grid", "网格", "Grid"),
    Column("grade", "档位", "Grade", required=True),
    Column("market_type", "市场类型", "Market type", required=True),
    Column("business_format", "业态", "Business format", required=True),
    Column("franchise_type", "加盟类型", "Franchise type"),
    Column("opened_on", "开业日期", "Opening date"),
    Column("status", "状态", "Status"),
    # Stored only with consent: either one already in force or the one this column records.
    Column("owner_id_number", "身份证号", "Owner's ID number"),
    Column("id_consent", "身份证号采集同意", "ID number consent"),
]
EXPORTED = [c for c in RETAILER_COLUMNS if c.field not in ("owner_id_number", "id_consent")]

SPECIALIST_COLUMNS = [
    Column("employee_no", "工号", "Employee number", required=True),
    Column("username", "账号", "Username", required=True),
    Column("name", "姓名", "Name", required=True),
    Column("phone", "联系电话", "Phone"),
    Column("home_district", "所属片区", "Home district", required=True),
    Column("districts", "服务片区", "Districts served"),
    Column("base_lat", "驻点纬度", "Base latitude", required=True),
    Column("base_lng", "驻点经度", "Base longitude", required=True),
    Column("service_radius_km", "服务半径(公里)", "Service radius (km)"),
    Column("shift_start", "上班时间", "Shift start"),
    Column("shift_end", "下班时间", "Shift end"),
    Column("skills", "技能", "Skills"),
    Column("education", "最高学历", "Highest education"),
    Column("years_in_post", "岗位年限", "Years in post"),
    Column("certificates", "考级证书", "Grade certificates"),
    Column("title", "职称", "Professional title"),
]

SPECIALIST_FIELDS = [
    "base_lat", "base_lng", "service_radius_km", "shift_start", "shift_end", "education",
    "years_in_post", "certificates", "title", "home_district_id",
]

LIST_SEPARATORS = (";", "；", "、", "|")


def _choice_aliases(choices) -> dict[str, str]:
    """Accept a choice by its value or by its label in either language."""
    aliases: dict[str, str] = {}
    for value, label in choices.choices:
        aliases[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                text = str(label).lower()
            aliases[text] = value
            # "城网 (urban)" style labels: each part on its own is accepted too.
            for part in text.replace("（", "(").replace("）", ")").replace(")", "").split("("):
                if part.strip():
                    aliases.setdefault(part.strip(), value)
    return aliases


def _split_list(text: str) -> list[str]:
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [item.strip() for item in text.split(LIST_SEPARATORS[0]) if item.strip()]


def _district_lookup() -> dict[str, District]:
    lookup = {}
    for district in District.objects.all():
        lookup[district.code.lower()] = district
        lookup[district.name.lower()] = district
    return lookup


def _grid_lookup() -> dict[tuple[int, str], Grid]:
    lookup = {}
    for grid in Grid.objects.all():
        lookup[(grid.district_id, grid.code.lower())] = grid
        lookup[(grid.district_id, grid.name.lower())] = grid
    return lookup


# --- retailers -----------------------------------------------------------------------------

RETAILER_FIELDS = [
    "shop_name", "owner_name", "phone", "address", "latitude", "longitude", "district_id",
    "grid_id", "grade", "market_type", "business_format", "franchise_type", "opened_on", "status",
]


def retailer_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview (``commit=False``) or write (``commit=True``) a retailer file on ``actor``'s
    behalf: a row for a shop, or a district, outside the actor's scope is a bad row."""
    rows = read_table(content=content, filename=filename, columns=RETAILER_COLUMNS)
    report = ImportReport(total=len(rows))
    districts, grids = _district_lookup(), _grid_lookup()
    existing = Retailer.objects.in_bulk(
        [cells.get("licence_no", "") for _line, cells in rows], field_name="licence_no"
    )
    scope = WriteScope(Retailer, actor)
    changeable = scope.changeable(r.pk for r in existing.values())
    aliases = {
        "market_type": _choice_aliases(MarketType),
        "business_format": _choice_aliases(BusinessFormat),
        "franchise_type": _choice_aliases(FranchiseType),
        "status": _choice_aliases(RetailerStatus),
    }
    seen: dict[str, int] = {}
    pairs: list[tuple[Retailer | None, Retailer]] = []
    id_numbers: dict[str, tuple[str, str]] = {}
    consented = _consented_licences([cells.get("licence_no", "") for _line, cells in rows])
    for line, cells in rows:
        row = RowParser(line, cells, report)
        licence = row.text("licence_no")
        if licence in seen:
            row.fail("licence_no", _("Duplicate of line %(line)s.") % {"line": seen[licence]})
            continue
        seen[licence] = line
        if licence in existing and existing[licence].pk not in changeable:
            row.fail("licence_no", _("This shop is outside your districts."))
            continue
        district = districts.get(row.text("district").lower())
        if district is None:
            row.fail("district", _("Unknown district “%(value)s”.")
                     % {"value": row.text("district")})
        elif not scope.may_place(district.id):
            row.fail("district", _("You may only import shops of your districts."))
        grid = None
        if row.text("grid") and district is not None:
            grid = grids.get((district.id, row.text("grid").lower()))
            if grid is None:
                row.fail("grid", _("Unknown grid “%(value)s” in this district.")
                         % {"value": row.text("grid")})
        values = {
            "licence_no": licence,
            "shop_name": row.text("shop_name"),
            "owner_name": row.text("owner_name"),
            "address": row.text("address"),
            "latitude": row.number("latitude"),
            "longitude": row.number("longitude"),
            "district_id": district.id if district else None,
            "grid_id": grid.id if grid else None,
            "grade": row.number("grade", int),
            "market_type": row.choice("market_type", aliases["market_type"]),
            "business_format": row.choice("business_format", aliases["business_format"]),
            "franchise_type": row.choice("franchise_type", aliases["franchise_type"],
                                         default=FranchiseType.INDEPENDENT),
            "opened_on": row.date("opened_on"),
            "status": row.choice("status", aliases["status"], default=RetailerStatus.ACTIVE),
        }
        current = existing.get(licence)
        phone = row.text("phone")
        # A masked number (from one of our own exports) means "keep what we have".
        values["phone"] = (current.phone if current else "") if "*" in phone else phone
        id_number = row.text("owner_id_number").upper()
        if id_number and (current is None or id_number != current.owner_id_number):
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                row.fail("owner_id_number", exc.messages[0])
            if licence not in consented and not row.text("id_consent"):
                row.fail("id_consent", _("Record the owner's consent before storing an ID "
                                         "number."))
            if row.ok:
                id_numbers[licence] = (id_number, row.text("id_consent"))
        candidate = Retailer(**values)
        row.validate(candidate, exclude=["district", "grid", "user"])
        if row.ok:
            pairs.append((current, candidate))
    to_create, to_update = classify_changes(pairs, RETAILER_FIELDS, report)
    # A shop whose only change is a newly consented ID number is updated, not unchanged.
    written = {r.licence_no for r in to_create} | {r.licence_no for r in to_update}
    only_id = [licence for licence in id_numbers if licence not in written]
    report.updated += len(only_id)
    report.unchanged -= len(only_id)
    if commit:
        with transaction.atomic():
            Retailer.objects.bulk_create(to_create, batch_size=1000)
            Retailer.objects.bulk_update(to_update, RETAILER_FIELDS + ["updated_at"],
                                         batch_size=1000)
            _store_id_numbers(id_numbers)
        report.committed = True
    return report


def _consented_licences(licences: list[str]) -> set[str]:
    return set(ConsentRecord.objects.filter(
        retailer__licence_no__in=licences, purpose=ConsentRecord.Purpose.ID_NUMBER,
        withdrawn_at__isnull=True).values_list("retailer__licence_no", flat=True))


def _store_id_numbers(id_numbers: dict[str, tuple[str, str]]) -> None:
    """ID numbers with their consent: a record for each consent given in the file."""
    if not id_numbers:
        return
    shops = Retailer.objects.in_bulk(list(id_numbers), field_name="licence_no")
    consented = _consented_licences(list(id_numbers))
    now = timezone.now()
    ConsentRecord.objects.bulk_create([
        ConsentRecord(retailer=shops[licence], purpose=ConsentRecord.Purpose.ID_NUMBER,
                      given_at=now, how=how[:200])
        for licence, (_number, how) in id_numbers.items() if licence not in consented])
    for licence, (number, _how) in id_numbers.items():
        shops[licence].owner_id_number = number
    Retailer.objects.bulk_update(list(shops.values()), ["owner_id_number"])


def _retailer_row(retailer: Retailer, *, unmasked: bool, user=None) -> dict:
    return {
        "licence_no": retailer.licence_no,
        "shop_name": retailer.shop_name,
        "owner_name": retailer.owner_name,
        "phone": _shown(retailer.phone, unmasked, user, "export: retailers"),
        "address": retailer.address,
        "latitude": retailer.latitude,
        "longitude": retailer.longitude,
        "district": retailer.district.code,
        "grid": retailer.grid.code if retailer.grid else "",
        "grade": retailer.grade,
        "market_type": retailer.get_market_type_display(),
        "business_format": retailer.get_business_format_display(),
        "franchise_type": retailer.get_franchise_type_display(),
        "opened_on": retailer.opened_on.isoformat() if retailer.opened_on else "",
        "status": retailer.get_status_display(),
    }


def retailer_export(*, retailers, user, fmt: str) -> bytes:
    """Export retailers the user may see; phones masked unless the user may see them."""
    unmasked = can_view_unmasked(user)
    rows = [_retailer_row(r, unmasked=unmasked, user=user)
            for r in retailers.select_related("district", "grid").iterator(chunk_size=2000)]
    return write_table(rows=rows, columns=EXPORTED, fmt=fmt,
                       language=translation.get_language() or "zh-hans")


# --- specialists ---------------------------------------------------------------------------

def _parse_skills(row: RowParser, skills: dict[str, Skill]) -> list[tuple[Skill, int]]:
    parsed = []
    for item in _split_list(row.text("skills")):
        code, _sep, level_text = item.partition(":")
        skill = skills.get(code.strip().lower())
        if skill is None:
            row.fail("skills", _("Unknown skill “%(value)s”.") % {"value": code.strip()})
            continue
        level = 1
        if level_text.strip():
            if not level_text.strip().isdigit() or not 1 <= int(level_text) <= 5:
                row.fail("skills", _("A skill level is a whole number from 1 to 5."))
                continue
            level = int(level_text)
        parsed.append((skill, level))
    return parsed


def specialist_import(*, content: bytes, filename: str, commit: bool, actor) -> ImportReport:
    """Preview or write a specialist file on ``actor``'s behalf (rows outside its scope are
    bad rows)."""
    rows = read_table(content=content, filename=filename, columns=SPECIALIST_COLUMNS)
    report = ImportReport(total=len(rows))
    districts = _district_lookup()
    skills = {}
    for skill in Skill.objects.all():
        skills[skill.code.lower()] = skill
        skills[skill.name.lower()] = skill
    existing = Specialist.objects.select_related("user").prefetch_related(
        "districts", "skill_levels"
    ).in_bulk([cells.get("employee_no", "") for _line, cells in rows], field_name="employee_no")
    users = User.objects.in_bulk([cells.get("username", "") for _l, cells in rows],
                                 field_name="username")
    education, title = _choice_aliases(Education), _choice_aliases(Title)
    scope = WriteScope(Specialist, actor)
    changeable = scope.changeable(s.pk for s in existing.values())
    seen: dict[str, int] = {}
    plans = []
    for line, cells in rows:
        row = RowParser(line, cells, report)
        employee_no, username = row.text("employee_no"), row.text("username")
        if employee_no in seen:
            row.fail("employee_no", _("Duplicate of line %(line)s.") % {"line": seen[employee_no]})
            continue
        seen[employee_no] = line
        current = existing.get(employee_no)
        if current is not None and current.pk not in changeable:
            row.fail("employee_no", _("This specialist is outside your districts."))
            continue
        user = users.get(username)
        if user is not None and (current is None or current.user_id != user.id):
            if hasattr(user, "specialist") or user.role != Role.SPECIALIST:
                row.fail("username", _("The username “%(value)s” belongs to someone else.")
                         % {"value": username})
        home = districts.get(row.text("home_district").lower())
        if home is None:
            row.fail("home_district", _("Unknown district “%(value)s”.")
                     % {"value": row.text("home_district")})
        elif not scope.may_place(home.id):
            row.fail("home_district", _("You may only import people of your districts."))
        served = []
        for name in _split_list(row.text("districts")):
            district = districts.get(name.lower())
            if district is None:
                row.fail("districts", _("Unknown district “%(value)s”.") % {"value": name})
            elif not scope.may_place(district.id):
                row.fail("districts", _("You may only import people of your districts."))
            else:
                served.append(district)
        values = {
            "employee_no": employee_no,
            "base_lat": row.number("base_lat"),
            "base_lng": row.number("base_lng"),
            "service_radius_km": row.number("service_radius_km", required=False) or 15.0,
            "shift_start": row.time("shift_start", dt.time(8, 30)),
            "shift_end": row.time("shift_end", dt.time(17, 30)),
            "education": row.choice("education", education, default=Education.COLLEGE),
            "years_in_post": row.number("years_in_post", int, required=False) or 0,
            "certificates": _split_list(row.text("certificates")),
            "title": row.choice("title", title, default=Title.NONE),
        }
        skill_levels = _parse_skills(row, skills)
        phone = row.text("phone")
        if "*" in phone:
            phone = current.user.phone if current else ""
        candidate = Specialist(home_district=home, **values)
        row.validate(candidate, exclude=["user", "home_district"])
        if values["shift_end"] <= values["shift_start"]:
            row.fail("shift_end", _("The shift must end after it starts."))
        probe_user = User(username=username, first_name=row.text("name"), phone=phone,
                          role=Role.SPECIALIST)
        row.validate(probe_user, exclude=["password"])
        if not row.ok:
            continue
        plans.append((current, candidate, username, row.text("name"), phone, served,
                      skill_levels))

    def differs(current, candidate, name, phone, served, skill_levels) -> bool:
        if any(getattr(current, f) != getattr(candidate, f) for f in SPECIALIST_FIELDS):
            return True
        if current.user.first_name != name or current.user.phone != phone:
            return True
        if {d.id for d in current.districts.all()} != {d.id for d in served}:
            return True
        now = {(s.skill_id, s.level) for s in current.skill_levels.all()}
        return now != {(s.id, level) for s, level in skill_levels}

    changes = []
    for current, candidate, username, name, phone, served, skill_levels in plans:
        if current is None:
            report.created += 1
        elif differs(current, candidate, name, phone, served, skill_levels):
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        changes.append((current, candidate, username, name, phone, served, skill_levels))

    if commit:
        with transaction.atomic():
            for current, candidate, username, name, phone, served, skill_levels in changes:
                _specialist_write(current, candidate, username, name, phone, served,
                                  skill_levels)
        report.committed = True
    return report


def _specialist_write(current, candidate, username, name, phone, served, skill_levels) -> None:
    if current is None:
        user, _created = User.objects.get_or_create(
            username=username, defaults={"role": Role.SPECIALIST}
        )
        if _created:
            user.set_unusable_password()
        specialist = candidate
        specialist.user = user
    else:
        specialist = current
        user = current.user
        for f in SPECIALIST_FIELDS:
            setattr(specialist, f, getattr(candidate, f))
    user.first_name, user.phone, user.role = name, phone, Role.SPECIALIST
    user.save()
    specialist.save()
    specialist.districts.set(served)
    SpecialistSkill.objects.filter(specialist=specialist).delete()
    SpecialistSkill.objects.bulk_create(
        [SpecialistSkill(specialist=specialist, skill=s, level=lv) for s, lv in skill_levels]
    )


def _shown(value: str, unmasked: bool, user, where: str) -> str:
    if unmasked:
        record_unmasked(user=user, value=value, where=where)
        return value
    return mask_phone(value)


def specialist_export(*, specialists, user, fmt: str) -> bytes:
    unmasked = can_view_unmasked(user)
    rows = []
    for s in specialists.select_related("user", "home_district").prefetch_related(
        "districts", "skill_levels__skill"
    ):
        rows.append({
            "employee_no": s.employee_no,
            "username": s.user.username,
            "name": s.user.first_name,
            "phone": _shown(s.user.phone, unmasked, user, "export: specialists"),
            "home_district": s.home_district.code,
            "districts": ";".join(d.code for d in s.districts.all()),
            "base_lat": s.base_lat,
            "base_lng": s.base_lng,
            "service_radius_km": s.service_radius_km,
            "shift_start": s.shift_start.strftime("%H:%M"),
            "shift_end": s.shift_end.strftime("%H:%M"),
            "skills": ";".join(f"{x.skill.code}:{x.level}" for x in s.skill_levels.all()),
            "education": s.get_education_display(),
            "years_in_post": s.years_in_post,
            "certificates": ";".join(s.certificates),
            "title": s.get_title_display(),
        })
    return write_table(rows=rows, columns=SPECIALIST_COLUMNS, fmt=fmt,
                       language=translation.get_language() or "zh-hans")
