//! JSON patch, JSON merge patch and strategic merge patch over serde_json values.
