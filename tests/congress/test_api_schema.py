"""The OpenAPI schema and the self-hosted Swagger UI (public, no CDN)."""

import pytest
from django.urls import resolve
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from congress import access

ERROR_CODES = {"400", "401", "403", "404", "409", "429"}
RESOURCES = ["regions", "bodies", "committees", "units"]


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_public_and_valid_openapi(schema):
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")


def test_schema_lists_the_resource_paths_and_the_token_endpoint(schema):
    paths = schema["paths"]
    assert "/api/v1/auth/token/" in paths
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "/api/v1/schema/" not in paths


def test_every_operation_documents_the_error_responses(schema):
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations
    for path, method, operation in operations:
        assert set(operation["responses"]) >= ERROR_CODES, (method, path)
        for code in ERROR_CODES:
            content = operation["responses"][code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "detail", "fields"}


def test_lists_document_updated_since_and_pagination(schema):
    for resource in RESOURCES:
        operation = schema["paths"][f"/api/v1/{resource}/"]["get"]
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
        assert parameters["updated_since"]["schema"] == {"type": "string", "format": "date-time"}
        assert {"page", "page_size"} <= set(parameters)


def test_read_endpoints_require_a_token_or_session(schema):
    security = schema["paths"]["/api/v1/regions/"]["get"]["security"]
    assert {"tokenAuth": []} in security
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] == "apiKey"
    assert not schema["paths"]["/api/v1/auth/token/"]["post"].get("security")


def test_swagger_ui_is_self_hosted_and_runs_under_the_csp(db):
    client = APIClient()

    page = client.get("/api/v1/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "unpkg" not in html and "jsdelivr" not in html
    assert "<script>" not in html  # the start-up script is a separate file, allowed by script-src 'self'
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def test_schema_and_docs_are_declared_public_and_the_rest_api():
    assert resolve("/api/v1/schema/").func.access_policy == access.PUBLIC
    assert resolve("/api/v1/docs/").func.access_policy == access.PUBLIC
    for url in ("/api/v1/auth/token/", "/api/v1/regions/", "/api/v1/units/1/"):
        assert resolve(url).func.access_policy == access.API
