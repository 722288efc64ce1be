//! Signature checks of a checkout's HEAD commit and tag object with the real tools: `gpg`
//! (public keys imported into a throw-away GNUPGHOME, `--status-fd` read) for PGP signatures
//! and `ssh-keygen -Y verify` (an allowed-signers file of the trusted keys) for SSH ones.
//! The Git objects are read with `git cat-file`; what they sign is split off in [`plan::verify`].

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fluxion_api::source::GitVerificationMode;
use fluxion_api::source::conditions::{
    INVALID_COMMIT_SIGNATURE_REASON, INVALID_GIT_OBJECT_REASON, INVALID_TAG_SIGNATURE_REASON,
    INVALID_VERIFICATION_MODE_REASON,
};
use tokio::io::AsyncWriteExt;

use crate::error::Error;
use crate::plan::verify::{
    self as pv, SSH_NAMESPACE, SSH_PRINCIPAL, SignatureType, Signed, TrustedKeys,
};

/// What to verify and with which keys.
pub struct VerifyRequest<'a> {
    /// The checkout (a work tree with its `.git`).
    pub repo: &'a Path,
    /// An empty private directory for key rings and signature files.
    pub scratch: &'a Path,
    pub mode: GitVerificationMode,
    pub keys: &'a TrustedKeys,
    /// The checked-out commit.
    pub sha: &'a str,
    /// The tag the checkout went through, if any.
    pub tag: Option<&'a str>,
    pub timeout: Duration,
}

/// Verifies what the mode asks for, tag first; returns Flux's SourceVerified message.
pub async fn verify(req: &VerifyRequest<'_>) -> Result<String, Error> {
    let mut tag_result = None;
    if req.mode.verifies_tag() {
        let Some(name) = req.tag else {
            return Err(failure(
                INVALID_VERIFICATION_MODE_REASON,
                "cannot verify tag object's signature if a tag reference is not specified".into(),
                true,
            ));
        };
        let (shown, signed) = read_tag(req, name).await?;
        if signed.signature.is_empty() {
            let message =
                format!("cannot verify signature of tag '{shown}' since it is not signed");
            return Err(failure(INVALID_GIT_OBJECT_REASON, message, false));
        }
        let key = check(req, &signed, "tag").await.map_err(|e| {
            let message = format!("signature verification of tag '{shown}' failed: {e}");
            failure(INVALID_TAG_SIGNATURE_REASON, message, false)
        })?;
        tag_result = Some((shown, key));
    }
    let mut commit_result = None;
    if req.mode.verifies_head() {
        let raw = git(req, &["cat-file", "commit", req.sha])
            .await
            .map_err(|e| failure(INVALID_COMMIT_SIGNATURE_REASON, e, false))?;
        let signed = pv::split_commit(&raw);
        let key = check(req, &signed, "commit").await.map_err(|e| {
            let message = format!("signature verification of commit '{}' failed: {e}", req.sha);
            failure(INVALID_COMMIT_SIGNATURE_REASON, message, false)
        })?;
        commit_result = Some(key);
    }
    Ok(pv::verified_message(
        tag_result.as_ref().map(|(t, k)| (t.as_str(), k.as_str())),
        commit_result.as_deref().map(|k| (req.sha, k)),
    ))
}

fn failure(reason: &'static str, message: String, stall: bool) -> Error {
    Error::Verification {
        reason,
        message,
        stall,
    }
}

/// The tag as Flux prints it (`<name>@<object id>`, or the bare name of a lightweight tag or
/// a tag fetched without its object) and its signed parts (empty signature when unsigned).
async fn read_tag(req: &VerifyRequest<'_>, name: &str) -> Result<(String, Signed), Error> {
    let reference = format!("refs/tags/{name}");
    let kind = git(req, &["cat-file", "-t", &reference]).await.ok();
    if kind
        .as_deref()
        .map(|k| String::from_utf8_lossy(k).trim().to_string())
        != Some("tag".into())
    {
        return Ok((name.to_string(), Signed::default()));
    }
    let read_err = |e| failure(INVALID_GIT_OBJECT_REASON, e, false);
    let id = git(req, &["rev-parse", &reference])
        .await
        .map_err(read_err)?;
    let raw = git(req, &["cat-file", "tag", &reference])
        .await
        .map_err(read_err)?;
    let id = String::from_utf8_lossy(&id).trim().to_string();
    Ok((format!("{name}@{id}"), pv::split_tag(&raw)))
}

/// Checks one signed object against the trusted keys; the signer's key ID (PGP) or SHA256
/// fingerprint (SSH), or Flux's wording of why not.
async fn check(req: &VerifyRequest<'_>, signed: &Signed, what: &str) -> Result<String, String> {
    match pv::verifier_for(&signed.signature, req.keys)? {
        SignatureType::Ssh => verify_ssh(req, signed)
            .await
            .map_err(|e| format!("unable to verify Git {what} SSH signature: {e}")),
        _ => verify_pgp(req, signed)
            .await
            .map_err(|e| format!("unable to verify Git {what}: {e}")),
    }
}

const NO_PGP_MATCH: &str =
    "unable to verify payload with any of the given key rings: no matching key";

async fn verify_pgp(req: &VerifyRequest<'_>, signed: &Signed) -> Result<String, String> {
    let dir = tempfile::tempdir_in(req.scratch).map_err(|e| e.to_string())?;
    let home = dir.path().join("gnupg");
    private_dir(&home).map_err(|e| e.to_string())?;
    let home_arg = home.display().to_string();
    let base = [
        "--batch",
        "--no-tty",
        "--no-autostart",
        "--homedir",
        home_arg.as_str(),
    ];
    let mut imported = 0;
    let mut read_error = None;
    for ring in &req.keys.pgp {
        let mut args = base.to_vec();
        args.push("--import");
        match tool("gpg", &args, Some(ring.as_bytes()), req.timeout).await {
            Ok(out) if out.status.success() => imported += 1,
            Ok(out) => {
                read_error.get_or_insert_with(|| first_line(&out.stderr));
            }
            Err(e) => return Err(e),
        }
    }
    if imported == 0 {
        let why = read_error.unwrap_or_else(|| "no key rings".into());
        return Err(format!("unable to read armored key ring: {why}"));
    }
    let sig = dir.path().join("signature.asc");
    std::fs::write(&sig, &signed.signature).map_err(|e| e.to_string())?;
    let sig_arg = sig.display().to_string();
    let mut args = base.to_vec();
    args.extend(["--status-fd", "1", "--verify", sig_arg.as_str(), "-"]);
    let out = tool("gpg", &args, Some(&signed.payload), req.timeout).await?;
    pv::gpg_good_key(&String::from_utf8_lossy(&out.stdout)).ok_or_else(|| NO_PGP_MATCH.into())
}

async fn verify_ssh(req: &VerifyRequest<'_>, signed: &Signed) -> Result<String, String> {
    let allowed = pv::allowed_signers(&req.keys.ssh)?;
    let dir = tempfile::tempdir_in(req.scratch).map_err(|e| e.to_string())?;
    let (file, sig) = (dir.path().join("allowed_signers"), dir.path().join("sig"));
    std::fs::write(&file, allowed)
        .and_then(|()| std::fs::write(&sig, &signed.signature))
        .map_err(|e| e.to_string())?;
    let (file, sig) = (file.display().to_string(), sig.display().to_string());
    let args = [
        "-Y",
        "verify",
        "-f",
        &file,
        "-I",
        SSH_PRINCIPAL,
        "-n",
        SSH_NAMESPACE,
        "-s",
        &sig,
    ];
    let out = tool("ssh-keygen", &args, Some(&signed.payload), req.timeout).await?;
    let text = String::from_utf8_lossy(&out.stdout);
    match out.status.success() {
        true => pv::ssh_good_key(&text),
        false => None,
    }
    .ok_or_else(|| {
        "unable to verify payload with any of the given authorized keys: no matching key".into()
    })
}

/// gpg refuses a home other users can read.
fn private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .map(|l| l.trim_start_matches("gpg:").trim())
        .find(|l| !l.is_empty())
        .unwrap_or("gpg failed")
        .to_string()
}

/// git in the checkout; its stdout, or its error line.
async fn git(req: &VerifyRequest<'_>, args: &[&str]) -> Result<Vec<u8>, String> {
    let mut full = vec!["-C", req.repo.to_str().unwrap_or_default()];
    full.extend_from_slice(args);
    let out = tool("git", &full, None, req.timeout).await?;
    match out.status.success() {
        true => Ok(out.stdout),
        false => Err(super::error_line(&String::from_utf8_lossy(&out.stderr))),
    }
}

/// Runs a tool with a clean environment (PATH only) and a timeout, feeding `stdin`.
async fn tool(
    program: &str,
    args: &[&str],
    stdin: Option<&[u8]>,
    timeout: Duration,
) -> Result<std::process::Output, String> {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("unable to run {program}: {e}"))?;
    let run = async {
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            // A tool that exits early closes its end; its verdict then says why.
            let _ = pipe.write_all(input).await;
            drop(pipe);
        }
        child.wait_with_output().await
    };
    match tokio::time::timeout(timeout, run).await {
        Ok(out) => out.map_err(|e| format!("unable to run {program}: {e}")),
        Err(_) => Err(format!("timeout waiting for {program} after {timeout:?}")),
    }
}
