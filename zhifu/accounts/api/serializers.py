from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.fields import empty
from rest_framework_simplejwt.serializers import (
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
)
from rest_framework_simplejwt.settings import api_settings

from zhifu.core.api.fields import ClockTimeField
from zhifu.core.masking import mask_phone
from zhifu.core.privacy import record_unmasked, reveal_text

from .. import lockout, services
from ..authentication import PasswordChanged, token_matches_password
from ..choices import Role, band_of
from ..models import District, Retailer, Specialist, SpecialistSkill, User
from ..policies import can_view_unmasked


class TokenObtainSerializer(TokenObtainPairSerializer):
    """Tokens are for the API roles; retailers use the phone pages with a session."""

    default_error_messages = {
        **TokenObtainPairSerializer.default_error_messages,
        "no_active_account": _("Wrong username or password, or the account is disabled."),
        "wrong_role": _("This account cannot use the API; log in on the web pages."),
    }

    def run_validation(self, data=empty):
        # The attempt is counted before the fields are even read: a blank password or a
        # malformed body is a failed attempt, not a free one.
        raw = data.get(self.username_field) if isinstance(data, Mapping) else None
        address = lockout.client_address(self.context.get("request"))
        self.user = None
        with lockout.login_attempt(username=raw if isinstance(raw, str) else "",
                                   address=address) as attempt:
            try:
                return super().run_validation(data)
            finally:
                attempt.succeeded = self.user is not None

    def validate(self, attrs):
        data = super().validate(attrs)
        if self.user.role == Role.RETAILER:
            raise PermissionDenied(self.error_messages["wrong_role"])
        return data

    @classmethod
    def get_token(cls, user):
        token = super().get_token(user)
        token["role"] = user.role
        return token


class TokenRefreshRotateSerializer(TokenRefreshSerializer):
    """A refresh token buys one new pair, once, and only while the account is active and
    its password unchanged since the token was issued."""

    default_error_messages = {
        "no_active_account": _("Wrong username or password, or the account is disabled."),
    }

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])  # signature, expiry, blacklist
        user = User.objects.filter(pk=refresh.get(api_settings.USER_ID_CLAIM)).first()
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            raise AuthenticationFailed(self.error_messages["no_active_account"],
                                       "no_active_account")
        if not token_matches_password(refresh, user):
            raise PasswordChanged()
        return services.api_tokens_rotate(refresh=refresh, user=user)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(help_text=_("The refresh token to revoke."))


class MaskedPhoneField(serializers.CharField):
    """Shows a phone number masked unless the requesting user may see it whole."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        if request is not None and can_view_unmasked(request.user):
            record_unmasked(user=request.user, value=value)
            return value
        return mask_phone(value)


class PrivateTextField(serializers.CharField):
    """Free text (a need, a reason, a service log) with the phone and ID numbers typed into
    it masked unless the requesting user may see them whole."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return reveal_text(str(value), user=getattr(request, "user", None))


class RetailerBriefSerializer(serializers.Serializer):
    """A shop as a specialist needs it on a task or demand: where, who, how to reach."""

    id = serializers.IntegerField()
    shop_name = serializers.CharField()
    owner_name = serializers.CharField()
    phone = MaskedPhoneField()
    address = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    grade = serializers.IntegerField()
    market_type = serializers.CharField()


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name", "center_lat", "center_lng"]


class SkillLevelSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="skill.code")
    name = serializers.CharField(source="skill.name")

    class Meta:
        model = SpecialistSkill
        fields = ["code", "name", "level"]


class SpecialistSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    phone = MaskedPhoneField(source="user.phone")
    home_district = DistrictSerializer(read_only=True)
    districts = DistrictSerializer(many=True, read_only=True)
    skills = SkillLevelSerializer(source="skill_levels", many=True, read_only=True)
    shift_start = ClockTimeField(read_only=True)
    shift_end = ClockTimeField(read_only=True)

    class Meta:
        model = Specialist
        fields = [
            "id", "employee_no", "name", "phone", "home_district", "districts", "base_lat",
            "base_lng", "service_radius_km", "shift_start", "shift_end", "daily_task_limit",
            "daily_minutes_limit", "skills", "education", "years_in_post", "certificates",
            "title", "active",
        ]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    phone = MaskedPhoneField()
    specialist = SpecialistSerializer(read_only=True, allow_null=True)
    managed_districts = DistrictSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "phone", "manager_level",
                  "managed_districts", "specialist"]


class RetailerSerializer(serializers.ModelSerializer):
    phone = MaskedPhoneField()
    district = DistrictSerializer(read_only=True)
    grid = serializers.CharField(source="grid.name", read_only=True, allow_null=True,
                                 default=None)
    grade_band = serializers.SerializerMethodField()

    class Meta:
        model = Retailer
        fields = [
            "id", "licence_no", "shop_name", "owner_name", "phone", "address", "latitude",
            "longitude", "district", "grid", "grade", "grade_band", "market_type",
            "business_format", "franchise_type", "opened_on", "status",
        ]

    def get_grade_band(self, obj) -> str:
        return band_of(obj.grade)
