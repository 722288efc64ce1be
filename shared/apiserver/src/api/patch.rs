//! patch: JSON patch, merge patch, strategic merge patch and server-side apply.

use super::{Api, Outcome, Target, WriteOptions};
use crate::error::ApiError;

impl Api {
    pub fn patch(&self, _t: &Target, _media: &str, _body: &[u8], _force: bool, _opts: &WriteOptions) -> Result<Outcome, ApiError> {
        Err(ApiError::unsupported_media_type(&[]))
    }
}
