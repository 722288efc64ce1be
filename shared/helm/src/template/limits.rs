//! Size bounds on what one render may build. Go's Helm has none and dies of memory
//! exhaustion on `{{ until 100000000000 }}`; a controller rendering untrusted charts must
//! instead fail that chart with a clear error and keep serving the others.

use super::FuncError;

/// The largest string a function may build or return (128 MiB).
pub const MAX_STRING_BYTES: u64 = 128 << 20;

/// The longest list a function may build or return (16 Mi elements).
pub const MAX_LIST_ITEMS: u64 = 16 << 20;

/// The output one template execution may write (256 MiB).
pub const MAX_OUTPUT_BYTES: usize = 256 << 20;

/// Refuses a string of `bytes` bytes before it is built.
pub fn check_string(bytes: u128) -> Result<(), FuncError> {
    if bytes > u128::from(MAX_STRING_BYTES) {
        return Err(FuncError::new(format!(
            "result of {bytes} bytes exceeds the limit of {MAX_STRING_BYTES} bytes"
        )));
    }
    Ok(())
}

/// Refuses a list of `items` elements before it is built.
pub fn check_list(items: u128) -> Result<(), FuncError> {
    if items > u128::from(MAX_LIST_ITEMS) {
        return Err(FuncError::new(format!(
            "result of {items} elements exceeds the limit of {MAX_LIST_ITEMS} elements"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert!(check_string(u128::from(MAX_STRING_BYTES)).is_ok());
        assert!(check_string(u128::from(MAX_STRING_BYTES) + 1).is_err());
        assert!(check_list(10).is_ok());
        assert_eq!(
            check_list(u128::MAX).unwrap_err().to_string(),
            format!(
                "result of {} elements exceeds the limit of 16777216 elements",
                u128::MAX
            )
        );
    }
}
