//! TokenReview (`authentication.k8s.io/v1`): whether a bearer token authenticates, and as
//! whom, for the audiences the reviewer names (the server's own by default). Refusals are
//! `authenticated` left out and kube's error text, never an error answer.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::review::stamped;
use super::{Auth, requested_audiences};
use crate::error::ApiError;

/// Answers a TokenReview.
pub fn review(auth: &Auth, mut review: Value) -> Result<Value, ApiError> {
    let token = review
        .pointer("/spec/token")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if token.is_empty() {
        return Err(ApiError::bad_request(
            "token is required for TokenReview in authentication",
        ));
    }
    let audiences = requested_audiences(&review, &auth.sa.audiences);
    let status = match auth.authenticate_token(&token, &audiences) {
        Ok((user, auds)) => {
            let mut info = json!({ "username": user.name, "groups": user.groups });
            if !user.uid.is_empty() {
                info["uid"] = json!(user.uid);
            }
            if !user.extra.is_empty() {
                info["extra"] = json!(user.extra.iter().collect::<BTreeMap<_, _>>());
            }
            json!({ "authenticated": true, "user": info, "audiences": auds })
        }
        Err(refused) => json!({ "user": {}, "error": refused.message() }),
    };
    review["status"] = status;
    Ok(stamped(review, "TokenReview"))
}
