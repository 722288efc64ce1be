//! Progress lines on stderr with the flux CLI's symbols, so scripts that grep flux's output
//! keep working; tables and YAML go to stdout.

pub fn action(msg: &str) {
    eprintln!("► {msg}");
}

pub fn success(msg: &str) {
    eprintln!("✔ {msg}");
}

pub fn failure(msg: &str) {
    eprintln!("✗ {msg}");
}

pub fn waiting(msg: &str) {
    eprintln!("◎ {msg}");
}

pub fn generate(msg: &str) {
    eprintln!("✚ {msg}");
}
