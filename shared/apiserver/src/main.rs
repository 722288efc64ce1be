//! The `fluxion-apiserver` binary: serves the embedded API server on a port until interrupted.

use std::net::IpAddr;
use std::time::Duration;

use clap::Parser;
use fluxion_apiserver::auth::{AuthConfig, parse_token_file};
use fluxion_apiserver::server::{ApiServer, ServerConfig};

#[derive(Parser, Debug)]
#[command(
    name = "fluxion-apiserver",
    about = "An embedded Kubernetes API server"
)]
struct Args {
    /// The port to listen on (0 picks one).
    #[arg(long, default_value_t = 6443)]
    port: u16,
    /// The address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Where to keep state across restarts.
    #[arg(long)]
    data_dir: Option<std::path::PathBuf>,
    /// Write a kubeconfig for this server to this file.
    #[arg(long)]
    kubeconfig_out: Option<std::path::PathBuf>,
    /// How many change events watches can resume from.
    #[arg(long, default_value_t = 10_000)]
    watch_history: usize,
    /// Serve HTTPS with a certificate authority generated at start (in the kubeconfig).
    #[arg(long)]
    tls: bool,
    /// Bearer tokens (`token,user,uid,"group1,group2"` lines); requires a token on every
    /// request. The kubeconfig written gets a token of `admin` (system:masters).
    #[arg(long)]
    token_auth_file: Option<std::path::PathBuf>,
    /// Require a bearer token even without a token file (only the admin's then).
    #[arg(long)]
    require_token: bool,
    /// `AlwaysAllow` or `RBAC` (a comma list as kube-apiserver takes; RBAC if it is named).
    #[arg(long, default_value = "AlwaysAllow")]
    authorization_mode: String,
    /// Take client certificates signed by the generated CA (CN = user, O = groups); the
    /// kubeconfig written then presents an `admin` certificate (O=system:masters). Needs --tls.
    #[arg(long)]
    client_cert_auth: bool,
    /// Also take client certificates signed by the CAs in this PEM file; implies
    /// --client-cert-auth.
    #[arg(long)]
    client_ca_file: Option<std::path::PathBuf>,
    /// `iss` of service-account tokens.
    #[arg(long)]
    service_account_issuer: Option<String>,
    /// The audiences tokens must name (a comma list; default the issuer).
    #[arg(long, value_delimiter = ',')]
    api_audiences: Vec<String>,
    /// The longest token TokenRequest issues (`48h`, `90m`, `3600s`); longer ones are cut.
    #[arg(long, value_parser = parse_duration)]
    service_account_max_token_expiration: Option<i64>,
}

/// Seconds of a Go-style duration made of hours, minutes and seconds (`1h30m`).
fn parse_duration(text: &str) -> Result<i64, String> {
    let bad = || format!("invalid duration {text:?} (use h, m and s, like 48h or 1h30m)");
    let (mut total, mut digits) = (0i64, String::new());
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        let n: i64 = digits.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() || text.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// The authentication and authorization the flags ask for.
fn auth_config(args: &Args) -> Result<AuthConfig, Box<dyn std::error::Error>> {
    let tokens = match &args.token_auth_file {
        Some(path) => parse_token_file(&std::fs::read_to_string(path)?)?,
        None => Vec::new(),
    };
    let mut rbac = false;
    for mode in args.authorization_mode.split(',').map(str::trim) {
        match mode {
            "RBAC" => rbac = true,
            "AlwaysAllow" | "Node" => {}
            other => return Err(format!("unsupported authorization mode {other:?}").into()),
        }
    }
    let client_ca_pem = match &args.client_ca_file {
        Some(path) => Some(std::fs::read_to_string(path)?),
        None => None,
    };
    Ok(AuthConfig {
        tls: args.tls,
        authenticate: args.require_token || args.token_auth_file.is_some(),
        tokens,
        rbac,
        client_certificates: args.client_cert_auth,
        client_ca_pem,
        service_account_issuer: args.service_account_issuer.clone(),
        api_audiences: args.api_audiences.clone(),
        max_token_expiration: args.service_account_max_token_expiration,
    })
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Args::parse()).await {
        eprintln!("fluxion-apiserver: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let server = ApiServer::start(ServerConfig {
        bind: args.bind,
        port: args.port,
        auth: auth_config(&args)?,
        history_limit: args.watch_history,
        bookmark_interval: Duration::from_secs(30),
        data_dir: args.data_dir,
        ..ServerConfig::default()
    })
    .await?;
    if let Some(path) = &args.kubeconfig_out {
        // Renamed into place, so a reader never sees half a file.
        // The server's own kubeconfig: the admin's certificate or token.
        let tmp = path.with_extension("tmp");
        std::fs::copy(server.kubeconfig(), &tmp)?;
        std::fs::rename(&tmp, path)?;
    }
    println!("fluxion-apiserver listening on {}", server.url());
    shutdown_signal().await?;
    // Dropping the server syncs and closes the log.
    drop(server);
    Ok(())
}

/// Waits for Ctrl-C or SIGTERM.
async fn shutdown_signal() -> std::io::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r,
        _ = term.recv() => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_read_as_go_writes_them() {
        let cases: &[(&str, Option<i64>)] = &[
            ("48h", Some(172_800)),
            ("1h30m", Some(5400)),
            ("3600s", Some(3600)),
            ("90m10s", Some(5410)),
            ("", None),
            ("10", None),
            ("1d", None),
            ("h", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration(text).ok(), *want, "{text:?}");
        }
    }
}
