"""The retailer and specialist tables (django-import-export resources).

Rows are keyed by licence number (retailers) or employee number (specialists), so the
same file imported twice changes nothing the second time. Every row is checked against
the actor's scope through ``zhifu.access.WriteScope``: a shop or person outside it, or a
district it may not put rows in, is a bad row with its reason, never written.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
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
from .tabular import (
    LINE,
    Choice,
    Column,
    Date,
    Number,
    TabularResource,
    Text,
    Time,
    refuse,
    split_list,
)
from .validators import validate_id_number


def _district_lookup() -> dict[str, District]:
    lookup = {}
    for district in District.objects.all():
        lookup[district.code.lower()] = district
        lookup[district.name.lower()] = district
    return lookup


def _add(errors: dict, column: str, message: str) -> None:
    errors.setdefault(column, []).append(message)


def _placed(resource, errors: dict, column: str, name: str, refusal: str) -> District | None:
    """The district a cell names, if the actor may put rows in it; else an error."""
    district = resource.districts.get(name.lower())
    if district is None:
        _add(errors, column, _("Unknown district “%(value)s”.") % {"value": name})
    elif not resource.scope.may_place(district.id):
        _add(errors, column, refusal)
    else:
        return district
    return None


class PersonalDataMixin:
    """Phones in exports: masked unless the exporting user may see them whole (and then
    each one shown is recorded)."""

    where = ""

    def shown(self, value: str) -> str:
        if self._unmasked is None:
            self._unmasked = can_view_unmasked(self.user)
        if self._unmasked:
            record_unmasked(user=self.user, value=value, where=self.where)
            return value
        return mask_phone(value)

    @staticmethod
    def kept_phone(cell: str, current: str) -> str:
        # A masked number (from one of our own exports) means "keep what we have".
        return current if "*" in cell else cell


class ListCell(Text):
    """A list written ``a;b;c`` (or with ；、|)."""

    def empty(self):
        return []

    def parse(self, text: str):
        return split_list(text)

    def render(self, value, obj=None, **kwargs):
        return ";".join(value or [])


# --- retailers -----------------------------------------------------------------------------

class RetailerResource(PersonalDataMixin, TabularResource):
    licence_no = Column("许可证号", "Licence number", attribute="licence_no", required=True)
    shop_name = Column("店铺名称", "Shop name", attribute="shop_name", required=True)
    owner_name = Column("负责人", "Owner", attribute="owner_name", required=True)
    phone = Column("联系电话", "Phone")
    address = Column("地址", "Address", attribute="address")
    latitude = Column("纬度", "Latitude", Number(), attribute="latitude")
    longitude = Column("经度", "Longitude", Number(), attribute="longitude")
    district = Column("片区", "District", required=True)
    grid = Column("网格", "Grid")
    grade = Column("档位", "Grade", Number(int), attribute="grade")
    market_type = Column("市场类型", "Market type", Choice(MarketType), attribute="market_type")
    business_format = Column("业态", "Business format", Choice(BusinessFormat),
                             attribute="business_format")
    franchise_type = Column("加盟类型", "Franchise type",
                            Choice(FranchiseType, default=FranchiseType.INDEPENDENT),
                            attribute="franchise_type")
    opened_on = Column("开业日期", "Opening date", Date(), attribute="opened_on")
    status = Column("状态", "Status", Choice(RetailerStatus, default=RetailerStatus.ACTIVE),
                    attribute="status")
    # Stored only with consent: either one already in force or the one this column records.
    owner_id_number = Column("身份证号", "Owner's ID number", exported=False)
    id_consent = Column("身份证号采集同意", "ID number consent", exported=False)

    key_columns = ("licence_no",)
    written_fields = (
        "shop_name", "owner_name", "phone", "address", "latitude", "longitude", "district_id",
        "grid_id", "grade", "market_type", "business_format", "franchise_type", "opened_on",
        "status", "owner_id_number",
    )
    clean_exclude = ("district", "grid", "user")
    where = "export: retailers"

    class Meta(TabularResource.Meta):
        model = Retailer
        import_id_fields = ("licence_no",)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._unmasked = None
        self.id_given: dict[int, str] = {}  # line → how consent was given, for new ID numbers
        self.consents: dict[str, str] = {}  # licence → how, for the consent records to write

    def load(self, dataset) -> None:
        licences = dataset["licence_no"]
        self.existing = Retailer.objects.in_bulk(licences, field_name="licence_no")
        self.scope = WriteScope(Retailer, self.actor)
        self.changeable = self.scope.changeable(r.pk for r in self.existing.values())
        self.districts = _district_lookup()
        self.grids = {}
        for grid in Grid.objects.all():
            self.grids[(grid.district_id, grid.code.lower())] = grid
            self.grids[(grid.district_id, grid.name.lower())] = grid
        self.consented = set(ConsentRecord.objects.filter(
            retailer__licence_no__in=licences, purpose=ConsentRecord.Purpose.ID_NUMBER,
            withdrawn_at__isnull=True).values_list("retailer__licence_no", flat=True))

    def current(self, row):
        return self.existing.get(row["licence_no"])

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if not new and instance.pk not in self.changeable:
            raise refuse("licence_no", _("This shop is outside your districts."))

    def check(self, instance, row, errors) -> None:
        district = _placed(self, errors, "district", row["district"],
                           _("You may only import shops of your districts."))
        if district is not None:
            instance.district = district
        instance.grid = None
        if row["grid"] and district is not None:
            instance.grid = self.grids.get((district.id, row["grid"].lower()))
            if instance.grid is None:
                _add(errors, "grid", _("Unknown grid “%(value)s” in this district.")
                     % {"value": row["grid"]})
        instance.phone = self.kept_phone(row["phone"], instance.phone)
        id_number = row["owner_id_number"].upper()
        if id_number and id_number != instance.owner_id_number:
            try:
                validate_id_number(id_number)
            except ValidationError as exc:
                _add(errors, "owner_id_number", exc.messages[0])
            if instance.licence_no not in self.consented and not row["id_consent"]:
                _add(errors, "id_consent",
                     _("Record the owner's consent before storing an ID number."))
            instance.owner_id_number = id_number
            self.id_given[row[LINE]] = row["id_consent"]

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if row[LINE] in self.id_given and instance.licence_no not in self.consented:
            self.consents[instance.licence_no] = self.id_given[row[LINE]]

    def after_import(self, dataset, result, **kwargs):
        """A consent record for each consent given in the file, once its shop exists."""
        if self.dry_run or not self.consents:
            return
        shops = Retailer.objects.in_bulk(list(self.consents), field_name="licence_no")
        now = timezone.now()
        ConsentRecord.objects.bulk_create([
            ConsentRecord(retailer=shops[licence], purpose=ConsentRecord.Purpose.ID_NUMBER,
                          given_at=now, how=how[:200])
            for licence, how in self.consents.items()])

    def dehydrate_phone(self, retailer):
        return self.shown(retailer.phone)

    def dehydrate_district(self, retailer):
        return retailer.district.code

    def dehydrate_grid(self, retailer):
        return retailer.grid.code if retailer.grid else ""


# --- specialists ---------------------------------------------------------------------------

class SpecialistResource(PersonalDataMixin, TabularResource):
    employee_no = Column("工号", "Employee number", attribute="employee_no", required=True)
    username = Column("账号", "Username", required=True)
    name = Column("姓名", "Name", required=True)
    phone = Column("联系电话", "Phone")
    home_district = Column("所属片区", "Home district", required=True)
    districts = Column("服务片区", "Districts served")
    base_lat = Column("驻点纬度", "Base latitude", Number(), attribute="base_lat")
    base_lng = Column("驻点经度", "Base longitude", Number(), attribute="base_lng")
    service_radius_km = Column("服务半径(公里)", "Service radius (km)",
                               Number(required=False, default=15.0),
                               attribute="service_radius_km")
    shift_start = Column("上班时间", "Shift start", Time(dt.time(8, 30)), attribute="shift_start")
    shift_end = Column("下班时间", "Shift end", Time(dt.time(17, 30)), attribute="shift_end")
    daily_task_limit = Column("每日任务上限", "Tasks a day at most",
                              Number(int, required=False, default=25),
                              attribute="daily_task_limit")
    daily_minutes_limit = Column("每日工作分钟上限", "Working minutes a day at most",
                                 Number(int, required=False, default=540),
                                 attribute="daily_minutes_limit")
    skills = Column("技能", "Skills")
    education = Column("最高学历", "Highest education",
                       Choice(Education, default=Education.COLLEGE), attribute="education")
    years_in_post = Column("岗位年限", "Years in post", Number(int, required=False, default=0),
                           attribute="years_in_post")
    certificates = Column("考级证书", "Grade certificates", ListCell(), attribute="certificates")
    title = Column("职称", "Professional title", Choice(Title, default=Title.NONE),
                   attribute="title")

    key_columns = ("employee_no",)
    written_fields = (
        "base_lat", "base_lng", "service_radius_km", "shift_start", "shift_end",
        "daily_task_limit", "daily_minutes_limit", "education",
        "years_in_post", "certificates", "title", "home_district_id",
    )
    clean_exclude = ("user", "home_district")
    where = "export: specialists"

    class Meta(TabularResource.Meta):
        model = Specialist
        import_id_fields = ("employee_no",)
        use_bulk = False  # each row writes its login, its districts and its skills too

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._unmasked = None
        self.plans: dict[str, dict] = {}

    def load(self, dataset) -> None:
        self.existing = Specialist.objects.select_related("user").prefetch_related(
            "districts", "skill_levels").in_bulk(dataset["employee_no"], field_name="employee_no")
        self.users = User.objects.in_bulk(dataset["username"], field_name="username")
        self.scope = WriteScope(Specialist, self.actor)
        self.changeable = self.scope.changeable(s.pk for s in self.existing.values())
        self.districts = _district_lookup()
        self.skills = {}
        for skill in Skill.objects.all():
            self.skills[skill.code.lower()] = skill
            self.skills[skill.name.lower()] = skill

    def current(self, row):
        return self.existing.get(row["employee_no"])

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if not new and instance.pk not in self.changeable:
            raise refuse("employee_no", _("This specialist is outside your districts."))

    def check(self, instance, row, errors) -> None:
        current = instance if instance.pk else None
        username = row["username"]
        user = self.users.get(username)
        if user is not None and (current is None or current.user_id != user.id):
            if hasattr(user, "specialist") or user.role != Role.SPECIALIST:
                _add(errors, "username", _("The username “%(value)s” belongs to someone else.")
                     % {"value": username})
        refusal = _("You may only import people of your districts.")
        home = _placed(self, errors, "home_district", row["home_district"], refusal)
        if home is not None:
            instance.home_district = home
        served = [d for d in (_placed(self, errors, "districts", name, refusal)
                              for name in split_list(row["districts"])) if d is not None]
        skill_levels = self._skills(row["skills"], errors)
        if not {"shift_start", "shift_end"} & set(errors) \
                and instance.shift_end <= instance.shift_start:
            _add(errors, "shift_end", _("The shift must end after it starts."))
        phone = self.kept_phone(row["phone"], current.user.phone if current else "")
        probe = User(username=username, first_name=row["name"], phone=phone,
                     role=Role.SPECIALIST)
        try:
            probe.full_clean(exclude=["password"], validate_unique=False,
                             validate_constraints=False)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    _add(errors, column, message)
        self.plans[row[LINE]] = {"username": username, "name": row["name"], "phone": phone,
                                 "served": served, "skill_levels": skill_levels}

    def _skills(self, text: str, errors) -> list[tuple[Skill, int]]:
        parsed = []
        for item in split_list(text):
            code, _sep, level_text = item.partition(":")
            skill = self.skills.get(code.strip().lower())
            if skill is None:
                _add(errors, "skills", _("Unknown skill “%(value)s”.") % {"value": code.strip()})
                continue
            level = 1
            if level_text.strip():
                if not level_text.strip().isdigit() or not 1 <= int(level_text) <= 5:
                    _add(errors, "skills", _("A skill level is a whole number from 1 to 5."))
                    continue
                level = int(level_text)
            parsed.append((skill, level))
        return parsed

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        plan = self.plans[row[LINE]]
        user = instance.user  # the login, districts and skills change only when saved
        return (user.first_name == plan["name"] and user.phone == plan["phone"]
                and {d.id for d in instance.districts.all()} == {d.id for d in plan["served"]}
                and {(s.skill_id, s.level) for s in instance.skill_levels.all()}
                == {(s.id, level) for s, level in plan["skill_levels"]})

    def do_instance_save(self, instance, is_create):
        plan = self.plans[self._line]
        if is_create:
            user, created = User.objects.get_or_create(username=plan["username"],
                                                       defaults={"role": Role.SPECIALIST})
            if created:
                user.set_unusable_password()
            instance.user = user
        user = instance.user
        user.first_name, user.phone, user.role = plan["name"], plan["phone"], Role.SPECIALIST
        user.save()
        instance.save()
        instance.districts.set(plan["served"])
        SpecialistSkill.objects.filter(specialist=instance).delete()
        SpecialistSkill.objects.bulk_create(
            [SpecialistSkill(specialist=instance, skill=s, level=lv)
             for s, lv in plan["skill_levels"]])

    def before_save_instance(self, instance, row, **kwargs):
        self._line = row[LINE]

    def dehydrate_username(self, specialist):
        return specialist.user.username

    def dehydrate_name(self, specialist):
        return specialist.user.first_name

    def dehydrate_phone(self, specialist):
        return self.shown(specialist.user.phone)

    def dehydrate_home_district(self, specialist):
        return specialist.home_district.code

    def dehydrate_districts(self, specialist):
        return ";".join(d.code for d in specialist.districts.all())

    def dehydrate_skills(self, specialist):
        return ";".join(f"{x.skill.code}:{x.level}" for x in specialist.skill_levels.all())
