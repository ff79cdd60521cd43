from dealcopy.amo.errors import (
    AmoForbidden,
    AmoRateLimited,
    AmoServerError,
    AmoUnauthorized,
    AmoValidationError,
    error_from_answer,
)


def test_validation_errors_keep_request_id_path_code_detail():
    body = {
        "validation-errors": [
            {
                "request_id": "7",
                "errors": [
                    {
                        "code": "NotSupportedChoice",
                        "path": "status_id",
                        "detail": "The value you selected...",
                    },
                    {"code": "InvalidType", "path": "custom_fields_values.0.values.0.value", "detail": "bad"},
                ],
            }
        ],
        "title": "Bad Request",
        "type": "https://httpstatus.es/400",
        "status": 400,
        "detail": "Request validation failed",
    }
    err = error_from_answer(400, body)
    assert isinstance(err, AmoValidationError)
    assert [(i.request_id, i.path, i.code) for i in err.issues] == [
        ("7", "status_id", "NotSupportedChoice"),
        ("7", "custom_fields_values.0.values.0.value", "InvalidType"),
    ]
    assert "status_id" in str(err)


def test_retry_after_from_body_or_header():
    assert error_from_answer(429, {"retry_after": 2}).retry_after == 2.0
    from_header = error_from_answer(429, {}, {"Retry-After": "3"})
    assert isinstance(from_header, AmoRateLimited) and from_header.retry_after == 3.0
    assert error_from_answer(429, {"retry_after": "soon"}).retry_after is None


def test_status_classes():
    assert isinstance(error_from_answer(401, {}), AmoUnauthorized)
    assert isinstance(error_from_answer(403, {"detail": "blocked"}), AmoForbidden)
    assert isinstance(error_from_answer(504, None), AmoServerError)
    assert error_from_answer(403, {"detail": "blocked"}).detail == "blocked"
