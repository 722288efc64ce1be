//! Git over SSH for tests: OpenSSH `sshd` on a loopback port with a temp config, host key and
//! authorized user key; a forced command maps any repository path onto the temp root.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::error::{Error, Result};
use crate::process::{ServerProcess, free_port, run};
use crate::repos::BareRepos;
use crate::ssh_keys::{SshKeyPair, SshKeyType};

/// Where Debian's openssh-server installs the daemon (it must be run by absolute path).
pub const SSHD: &str = "/usr/sbin/sshd";

/// Key algorithms of the server.
#[derive(Clone, Copy, Debug, Default)]
pub struct GitSshOptions {
    /// The algorithm of the client key handed back.
    pub user_key: SshKeyType,
    /// The algorithm of the host key (what known_hosts pins).
    pub host_key: SshKeyType,
}

/// A running sshd serving bare repositories; killed (with its process group) on drop.
#[derive(Debug)]
pub struct GitSshServer {
    process: ServerProcess,
    repos: BareRepos,
    dir: TempDir,
    addr: SocketAddr,
    user: String,
    host_key: SshKeyPair,
    user_key: SshKeyPair,
    known_hosts: PathBuf,
}

const WRAPPER: &str = r#"#!/bin/sh
# fluxion-testkit: maps the repository path of any git command onto the test root.
set -f
cmd="$SSH_ORIGINAL_COMMAND"
verb=${cmd%% *}
arg=${cmd#* }
case "$verb" in
  git-upload-pack|git-receive-pack|git-upload-archive) ;;
  *) echo "fluxion-testkit: only git commands are served" >&2; exit 1 ;;
esac
arg=${arg#\'}; arg=${arg%\'}
arg=${arg#/}; arg=${arg#\~/}
exec "$verb" "@ROOT@/$arg"
"#;

impl GitSshServer {
    /// ed25519 host and user keys.
    pub fn start() -> Result<Self> {
        Self::start_with(GitSshOptions::default())
    }

    /// Writes keys and config into a temp dir, starts sshd and waits until it listens.
    pub fn start_with(options: GitSshOptions) -> Result<Self> {
        crate::process::require(SSHD, "-V")?;
        crate::process::require("git", "--version")?;
        crate::process::retry_port_race(|| Self::try_start(options))
    }

    fn try_start(options: GitSshOptions) -> Result<Self> {
        let repos = BareRepos::new()?;
        let dir = tempfile::Builder::new()
            .prefix("fluxion-sshd-")
            .tempdir()
            .map_err(Error::io("creating sshd dir"))?;
        let user = run(Command::new("id").arg("-un"))?;
        let host_key = SshKeyPair::generate(dir.path(), "host_key", options.host_key)?;
        let user_key = SshKeyPair::generate(dir.path(), "id_user", options.user_key)?;
        write(&dir.path().join("authorized_keys"), &user_key.public_line)?;
        let wrapper = dir.path().join("git-wrapper");
        let script = WRAPPER.replace("@ROOT@", &repos.root().display().to_string());
        write(&wrapper, &script)?;
        set_mode(&wrapper, 0o755)?;
        let port = free_port()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let config = dir.path().join("sshd_config");
        write(&config, &sshd_config(dir.path(), port, &user, &wrapper))?;
        let known_hosts = dir.path().join("known_hosts");
        write(
            &known_hosts,
            &format!("[127.0.0.1]:{port} {}", host_key.public_key()),
        )?;
        if rustix::process::geteuid().is_root() {
            // sshd running as root insists on its privilege-separation directory.
            let _ = std::fs::create_dir_all("/run/sshd");
        }
        let mut cmd = Command::new(SSHD);
        cmd.args(["-D", "-e", "-f"]).arg(&config);
        let mut process = ServerProcess::spawn("sshd", cmd, &dir.path().join("sshd.log"))?;
        process.wait_listening(addr)?;
        Ok(Self {
            process,
            repos,
            dir,
            addr,
            user,
            host_key,
            user_key,
            known_hosts,
        })
    }

    /// The server's process id (the leader of the group killed on drop).
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The login name the server accepts: the current user (sshd cannot log in a user that
    /// does not exist on the machine, so `git@` works only where a `git` user exists).
    pub fn user(&self) -> &str {
        &self.user
    }

    /// `ssh://USER@127.0.0.1:PORT/org/app.git`, as Flux users write it.
    pub fn url(&self, name: &str) -> String {
        format!(
            "ssh://{}@{}/{}",
            self.user,
            self.addr,
            BareRepos::relative(name)
        )
    }

    /// The known_hosts line pinning the host key: `[127.0.0.1]:PORT ssh-ed25519 AAAA…`.
    pub fn known_hosts(&self) -> String {
        format!(
            "[127.0.0.1]:{} {}",
            self.addr.port(),
            self.host_key.public_key()
        )
    }

    /// A file holding [`GitSshServer::known_hosts`].
    pub fn known_hosts_path(&self) -> &Path {
        &self.known_hosts
    }

    /// The authorized client key (its `private_pem` is a Flux `identity`).
    pub fn user_key(&self) -> &SshKeyPair {
        &self.user_key
    }

    /// The server's host key.
    pub fn host_key(&self) -> &SshKeyPair {
        &self.host_key
    }

    /// A `GIT_SSH_COMMAND` using the user key and pinned host key, strict checking on.
    pub fn ssh_command(&self) -> String {
        format!(
            "ssh -i {} -o IdentitiesOnly=yes -o UserKnownHostsFile={} \
             -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR",
            self.user_key.path.display(),
            self.known_hosts.display()
        )
    }

    /// Creates an empty bare repository `name` and returns its path.
    pub fn create_repo(&self, name: &str) -> Result<PathBuf> {
        self.repos.create(name)
    }

    /// The path of repository `name` on disk.
    pub fn repo_path(&self, name: &str) -> PathBuf {
        self.repos.path(name)
    }

    /// The served repositories (e.g. to set a default branch).
    pub fn repos(&self) -> &BareRepos {
        &self.repos
    }

    /// The root of all served repositories.
    pub fn root(&self) -> &Path {
        self.repos.root()
    }

    /// sshd's log so far (for assertion messages).
    pub fn log(&self) -> String {
        let _ = &self.dir;
        self.process.log_tail()
    }
}

fn sshd_config(dir: &Path, port: u16, user: &str, wrapper: &Path) -> String {
    let d = dir.display();
    format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
         AuthorizedKeysFile {d}/authorized_keys\nUsePAM no\nStrictModes no\n\
         PermitRootLogin prohibit-password\nPubkeyAuthentication yes\n\
         PasswordAuthentication no\nKbdInteractiveAuthentication no\nAllowUsers {user}\n\
         AcceptEnv GIT_PROTOCOL\nForceCommand {}\nPrintMotd no\nPermitUserRC no\n\
         AllowTcpForwarding no\nX11Forwarding no\nLogLevel VERBOSE\n",
        wrapper.display()
    )
}

fn write(path: &Path, text: &str) -> Result<()> {
    let text = if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    };
    std::fs::write(path, text).map_err(Error::io(format!("writing {}", path.display())))
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(Error::io(format!("chmod {}", path.display())))
}
