"""REST API of the institution, mounted at /api/v1/ (namespace "api").

Township offices' own systems log in with `POST auth/token/` (API accounts only) and then read the
reference data they sync: regions, bodies, committees and units, each scoped to the account's
grants through `congress.permissions.visible_*` (another town's object is a 404, never a 403),
paginated, and filterable by `updated_since` for incremental sync. The OpenAPI schema and a
self-hosted Swagger UI are public, so an office's developer can read them before holding a token.
"""

from django.contrib.auth import authenticate
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from congress import access, security_log, services
from congress.api_support import ApiError, IdFilter, UpdatedSinceFilterSet
from congress.models import Body, Committee, Region, Unit
from congress.permissions import CanUseApi, visible_bodies, visible_committees, visible_regions, visible_units


class NoStoreMixin:
    # API answers may carry personal data, so no cache keeps them (SECURITY S19). The middleware
    # cannot decide this: DRF authenticates a token inside the view, after the middleware has run.

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response


class ReadApi(NoStoreMixin):
    # Anonymous callers get 401 (the token scheme is the first authenticator), and every queryset
    # comes from a `visible_*` selector, so another scope's object is simply not found.
    permission_classes = [IsAuthenticated, CanUseApi]


# ---- token ------------------------------------------------------------------------------------


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The key. Send it as `Authorization: Token <key>`; shown once."))
    prefix = serializers.CharField(help_text=_("The key's first characters, as listed in the console."))
    user = serializers.CharField(help_text=_("The API account's username."))


class TokenObtainApi(NoStoreMixin, APIView):
    """Exchange an API account's username and password for a new token."""

    # A bad or revoked token in the header must not stop a system from fetching a new one.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer},
        auth=[],
        summary=_("Obtain a token"),
        description=_(
            "For API accounts only. Failed attempts count towards the lockout of the username on the "
            "caller's address (code `locked_out`); a person's account gets `not_api_account`."
        ),
    )
    def post(self, request):
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        # The DRF request goes to django-axes, which counts the failure and flags a lockout on it;
        # the flag stays on this object, so the answer is this view's JSON, not axes' HTML page.
        user = authenticate(request=request, username=username, password=serializer.validated_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise ApiError(
                    status.HTTP_429_TOO_MANY_REQUESTS,
                    "locked_out",
                    _("Too many failed attempts for this account from your address; try again later."),
                )
            raise ApiError(
                status.HTTP_401_UNAUTHORIZED, "invalid_credentials", _("The username or password is incorrect.")
            )
        if not user.is_api_account:
            security_log.log("api_token_refused", request=request, username=user.get_username())
            raise ApiError(
                status.HTTP_403_FORBIDDEN,
                "not_api_account",
                _("Only API accounts may obtain a token here; ask the staff admin for an API account."),
            )
        token, key = services.api_token_issue(actor=user, user=user, name="auth/token")
        security_log.log("api_token_issued", request=request, username=user.get_username(), prefix=token.prefix)
        output = TokenOutputSerializer({"token": key, "prefix": token.prefix, "user": user.get_username()})
        return Response(output.data)


# ---- regions ----------------------------------------------------------------------------------


class RegionFilter(UpdatedSinceFilterSet):
    parent = IdFilter(field_name="parent")

    class Meta:
        model = Region
        fields = ["kind", "parent", "updated_since"]


class RegionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind", "parent", "path", "updated_at"]


class RegionListApi(ReadApi, generics.ListAPIView):
    """Regions in the caller's scope: its own region and everything below it."""

    serializer_class = RegionOutputSerializer
    filterset_class = RegionFilter
    queryset = Region.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return visible_regions(self.request.user)


class RegionDetailApi(ReadApi, generics.RetrieveAPIView):
    """One region in the caller's scope."""

    serializer_class = RegionOutputSerializer
    queryset = Region.objects.none()

    def get_queryset(self):
        return visible_regions(self.request.user)


# ---- bodies -----------------------------------------------------------------------------------


class BodyFilter(UpdatedSinceFilterSet):
    region = IdFilter(field_name="region")
    parent = IdFilter(field_name="parent")

    class Meta:
        model = Body
        fields = ["level", "region", "parent", "updated_since"]


class BodyOutputSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Body
        fields = [
            "id", "name", "short_name", "level", "region", "region_code", "parent", "standing_organ_name",
            "updated_at",
        ]


class BodyListApi(ReadApi, generics.ListAPIView):
    """People's congresses (bodies) whose region is in the caller's scope."""

    serializer_class = BodyOutputSerializer
    filterset_class = BodyFilter
    queryset = Body.objects.none()

    def get_queryset(self):
        return visible_bodies(self.request.user)


class BodyDetailApi(ReadApi, generics.RetrieveAPIView):
    """One body in the caller's scope."""

    serializer_class = BodyOutputSerializer
    queryset = Body.objects.none()

    def get_queryset(self):
        return visible_bodies(self.request.user)


# ---- committees -------------------------------------------------------------------------------


class CommitteeFilter(UpdatedSinceFilterSet):
    body = IdFilter(field_name="body")

    class Meta:
        model = Committee
        fields = ["kind", "body", "is_active", "updated_since"]


class CommitteeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "body", "name", "kind", "is_active", "updated_at"]


class CommitteeListApi(ReadApi, generics.ListAPIView):
    """Committees of the bodies in the caller's scope."""

    serializer_class = CommitteeOutputSerializer
    filterset_class = CommitteeFilter
    queryset = Committee.objects.none()

    def get_queryset(self):
        return visible_committees(self.request.user)


class CommitteeDetailApi(ReadApi, generics.RetrieveAPIView):
    """One committee in the caller's scope."""

    serializer_class = CommitteeOutputSerializer
    queryset = Committee.objects.none()

    def get_queryset(self):
        return visible_committees(self.request.user)


# ---- units ------------------------------------------------------------------------------------


class UnitFilter(UpdatedSinceFilterSet):
    region = IdFilter(field_name="region")
    parent = IdFilter(field_name="parent")

    class Meta:
        model = Unit
        fields = ["kind", "region", "parent", "is_active", "updated_since"]


class UnitOutputSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "region", "region_code", "parent", "is_active", "updated_at"]


class UnitListApi(ReadApi, generics.ListAPIView):
    """Handling units in the caller's scope (a unit officer sees their own unit)."""

    serializer_class = UnitOutputSerializer
    filterset_class = UnitFilter
    queryset = Unit.objects.none()

    def get_queryset(self):
        return visible_units(self.request.user)


class UnitDetailApi(ReadApi, generics.RetrieveAPIView):
    """One handling unit in the caller's scope."""

    serializer_class = UnitOutputSerializer
    queryset = Unit.objects.none()

    def get_queryset(self):
        return visible_units(self.request.user)


# ---- schema and docs --------------------------------------------------------------------------


urlpatterns = [
    path("auth/token/", access.api(TokenObtainApi.as_view()), name="auth_token"),
    path("regions/", access.api(RegionListApi.as_view()), name="region_list"),
    path("regions/<int:pk>/", access.api(RegionDetailApi.as_view()), name="region_detail"),
    path("bodies/", access.api(BodyListApi.as_view()), name="body_list"),
    path("bodies/<int:pk>/", access.api(BodyDetailApi.as_view()), name="body_detail"),
    path("committees/", access.api(CommitteeListApi.as_view()), name="committee_list"),
    path("committees/<int:pk>/", access.api(CommitteeDetailApi.as_view()), name="committee_detail"),
    path("units/", access.api(UnitListApi.as_view()), name="unit_list"),
    path("units/<int:pk>/", access.api(UnitDetailApi.as_view()), name="unit_detail"),
    path("schema/", access.public(SpectacularAPIView.as_view()), name="schema"),
    # The split view serves its start-up script as a file, so the page runs under our CSP.
    path("docs/", access.public(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
