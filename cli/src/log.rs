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

/// A spinner beside a waiting line while a terminal watches; a plain `◎` line otherwise.
pub struct Spinner {
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Spinner {
    pub fn start(msg: &str) -> Spinner {
        use std::io::IsTerminal as _;
        if !std::io::stderr().is_terminal() {
            waiting(msg);
            return Spinner { task: None };
        }
        let msg = msg.to_string();
        let task = tokio::spawn(async move {
            const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            for frame in FRAMES.iter().cycle() {
                eprint!("\r{frame} {msg}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        });
        Spinner { task: Some(task) }
    }

    /// Stops the spinner and leaves the line as flux prints it.
    pub fn stop(mut self, msg: &str) {
        if let Some(task) = self.task.take() {
            task.abort();
            eprint!("\r\x1b[K");
            waiting(msg);
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            eprint!("\r\x1b[K");
        }
    }
}
