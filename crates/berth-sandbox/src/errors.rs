//! Error answers in each API's own shape.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub enum Api {
    Qovery,
    Kopernik,
}

/// An error answer: status and message, shaped by the API it belongs to.
#[derive(Debug)]
pub struct ApiError {
    pub api: Api,
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn qovery(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            api: Api::Qovery,
            status,
            message: message.into(),
        }
    }

    pub fn kopernik(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            api: Api::Kopernik,
            status,
            message: message.into(),
        }
    }
}

pub fn kopernik_metadata() -> serde_json::Value {
    json!({ "uid": crate::ids::uuid(), "timestamp": crate::ids::now_secs() })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match self.api {
            Api::Qovery => json!({ "status": self.status.as_u16(), "detail": self.message }),
            Api::Kopernik => json!({ "metadata": kopernik_metadata(), "reason": self.message }),
        };
        (self.status, Json(body)).into_response()
    }
}

/// Storage failures are the server's fault: a 500 in the API's shape, never a panic.
pub fn q500(e: String) -> ApiError {
    ApiError::qovery(StatusCode::INTERNAL_SERVER_ERROR, e)
}

pub fn k500(e: String) -> ApiError {
    ApiError::kopernik(StatusCode::INTERNAL_SERVER_ERROR, e)
}

/// Parses a JSON body into `T`, answering 400 with serde's description of what is wrong.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    err: fn(StatusCode, String) -> ApiError,
) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| err(StatusCode::BAD_REQUEST, format!("request body: {e}")))
}
