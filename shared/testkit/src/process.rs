//! Child processes of the testkit: running tools, spawning servers in their own process group,
//! killing that group on drop (also while a panicking test unwinds), free ports and readiness.

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use std::os::unix::process::CommandExt;

use crate::error::{Error, Result};

/// How long a server gets to start listening.
pub(crate) const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// The Debian package that ships a binary, for the "not installed" message.
pub(crate) fn package_of(binary: &str) -> &'static str {
    match binary.rsplit('/').next().unwrap_or(binary) {
        "git" => "git",
        "sshd" => "openssh-server",
        "ssh" | "ssh-keygen" => "openssh-client",
        "docker-registry" => "docker-registry",
        "gpg" | "gpgconf" => "gnupg",
        "htpasswd" => "apache2-utils",
        _ => "unknown",
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

fn spawn_error(cmd: &Command, err: std::io::Error) -> Error {
    let program = cmd.get_program().to_string_lossy().into_owned();
    if err.kind() == std::io::ErrorKind::NotFound {
        let package = package_of(&program);
        return Error::MissingBinary {
            binary: program,
            package,
        };
    }
    Error::io(format!("spawning {program}"))(err)
}

/// Runs a command to completion; returns its output, or an error carrying stderr.
pub(crate) fn output(cmd: &mut Command) -> Result<Output> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| spawn_error(cmd, e))?;
    if !out.status.success() {
        return Err(Error::Command {
            command: describe(cmd),
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out)
}

/// Runs a command to completion and returns its trimmed stdout.
pub(crate) fn run(cmd: &mut Command) -> Result<String> {
    let out = output(cmd)?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Fails with [`Error::MissingBinary`] unless `binary` can be executed.
pub(crate) fn require(binary: &str, version_arg: &str) -> Result<()> {
    let mut cmd = Command::new(binary);
    cmd.arg(version_arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.status().map(|_| ()).map_err(|e| spawn_error(&cmd, e))
}

/// A free TCP port on 127.0.0.1 (bound, then released for the server to take).
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(Error::io("binding 127.0.0.1:0"))?;
    let port = listener
        .local_addr()
        .map_err(Error::io("reading local address"))?
        .port();
    Ok(port)
}

/// Retries `start` when the server exited before listening: another process may have taken
/// the free port between [`free_port`] and the server's bind.
pub(crate) fn retry_port_race<T>(mut start: impl FnMut() -> Result<T>) -> Result<T> {
    let mut attempt = 1;
    loop {
        match start() {
            Err(Error::NotReady { .. }) if attempt < 3 => attempt += 1,
            other => return other,
        }
    }
}

/// A server process in its own process group, with its output in a log file.
/// Dropping it kills the whole group, so forked helpers die with it.
#[derive(Debug)]
pub(crate) struct ServerProcess {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl ServerProcess {
    /// Spawns `cmd` with stdout and stderr appended to `log`.
    pub(crate) fn spawn(name: &'static str, mut cmd: Command, log: &Path) -> Result<Self> {
        let file = File::create(log).map_err(Error::io(format!("creating {}", log.display())))?;
        let err = file.try_clone().map_err(Error::io("cloning log handle"))?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(file))
            .stderr(Stdio::from(err))
            .process_group(0);
        let child = cmd.spawn().map_err(|e| spawn_error(&cmd, e))?;
        Ok(Self {
            name,
            child,
            log: log.to_path_buf(),
        })
    }

    /// The process id (also the id of its process group).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last lines the server wrote.
    pub(crate) fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Waits until `addr` accepts TCP connections, failing early if the process exits.
    pub(crate) fn wait_listening(&mut self, addr: SocketAddr) -> Result<()> {
        let start = Instant::now();
        while start.elapsed() < READY_TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.not_ready(format!("exited with {status}")));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Err(self.not_ready(String::new()))
    }

    pub(crate) fn not_ready(&self, why: String) -> Error {
        Error::NotReady {
            server: self.name,
            timeout: READY_TIMEOUT,
            log: format!("{why}\n{}", self.log_tail()),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let pid = i32::try_from(self.child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw);
        if let Some(pid) = pid {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_binary_names_its_package() {
        let err = require("/usr/sbin/sshd-not-installed-here", "-V").expect_err("missing");
        assert!(matches!(err, Error::MissingBinary { .. }), "{err}");
        let err = run(&mut Command::new("docker-registry-absent")).expect_err("missing");
        assert!(err.to_string().contains("is not installed"), "{err}");
        assert_eq!(package_of("/usr/sbin/sshd"), "openssh-server");
        assert_eq!(package_of("docker-registry"), "docker-registry");
    }

    #[test]
    fn a_failed_command_keeps_its_stderr() {
        let err =
            run(Command::new("git").args(["definitely-not-a-subcommand"])).expect_err("fails");
        assert!(matches!(err, Error::Command { .. }), "{err}");
        assert!(
            err.to_string().contains("definitely-not-a-subcommand"),
            "{err}"
        );
    }

    #[test]
    fn dropping_a_server_process_kills_its_group() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cmd = Command::new("sh");
        // The shell forks a grandchild; both must die with the group.
        cmd.args(["-c", "sleep 300 & echo $! > grandchild; wait"])
            .current_dir(dir.path());
        let server = ServerProcess::spawn("sleeper", cmd, &dir.path().join("log")).expect("spawn");
        let pid = server.pid();
        let grandchild_file = dir.path().join("grandchild");
        let start = Instant::now();
        while !grandchild_file.exists() && start.elapsed() < READY_TIMEOUT {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(50));
        let grandchild = std::fs::read_to_string(&grandchild_file).expect("pid file");
        drop(server);
        assert!(!alive(pid), "the server survived its drop");
        let grandchild = grandchild.trim();
        let start = Instant::now();
        while alive_str(grandchild) && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(!alive_str(grandchild), "the forked grandchild survived");
    }

    fn alive(pid: u32) -> bool {
        alive_str(&pid.to_string())
    }

    /// Running and not a zombie waiting for its (init) parent.
    fn alive_str(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => !stat
                .split(") ")
                .nth(1)
                .is_some_and(|rest| rest.starts_with('Z')),
            Err(_) => false,
        }
    }
}
