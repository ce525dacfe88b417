"""The OpenAPI schema class (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

Kept apart from `api_support`, which DRF imports while its own `generics` module is still
loading (the pagination class), whereas drf-spectacular's AutoSchema imports `generics`.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from congress.api_support import ERROR_RESPONSES, ErrorSerializer


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the documented error responses on every operation (SECURITY S13)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=description), code, direction=direction
                )
        return responses
