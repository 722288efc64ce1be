//! Listen addresses as Go's net.Listen takes them: `host:port`, `:port` for every interface,
//! and `0` to turn a server off (controller-runtime's convention for metrics and probes).

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use tokio::net::TcpListener;

/// The host part of a listen address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenHost {
    /// Empty host (`:8080`): every interface, IPv6 and IPv4 where the system allows.
    Any,
    Ip(IpAddr),
    /// A name resolved when binding, such as `localhost`.
    Name(String),
}

/// A parsed listen address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenAddr {
    pub host: ListenHost,
    pub port: u16,
}

/// Why a listen address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid listen address {input:?}: {problem}")]
pub struct AddrError {
    pub input: String,
    pub problem: &'static str,
}

impl ListenAddr {
    /// Parses `host:port`, `:port` or `[ipv6]:port`; `0` means "disabled" and gives `None`.
    pub fn parse(input: &str) -> Result<Option<Self>, AddrError> {
        let err = |problem| AddrError {
            input: input.to_string(),
            problem,
        };
        if input == "0" {
            return Ok(None);
        }
        let (host, port) = input.rsplit_once(':').ok_or_else(|| err("missing port"))?;
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("port must be a number"));
        }
        let port: u16 = port.parse().map_err(|_| err("port out of range"))?;
        let host = if host.is_empty() {
            ListenHost::Any
        } else if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            ListenHost::Ip(IpAddr::V6(
                v6.parse().map_err(|_| err("malformed IPv6 address"))?,
            ))
        } else if let Ok(ip) = host.parse::<Ipv4Addr>() {
            ListenHost::Ip(IpAddr::V4(ip))
        } else if host.contains(':') {
            return Err(err("IPv6 addresses need brackets"));
        } else if host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            ListenHost::Name(host.to_string())
        } else {
            return Err(err("malformed host"));
        };
        Ok(Some(Self { host, port }))
    }

    /// Binds a TCP listener; an empty host tries `[::]` (dual-stack) and falls back to `0.0.0.0`.
    pub async fn bind(&self) -> io::Result<TcpListener> {
        match &self.host {
            ListenHost::Any => {
                let v6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), self.port);
                match TcpListener::bind(v6).await {
                    Ok(listener) => Ok(listener),
                    Err(_) => TcpListener::bind((Ipv4Addr::UNSPECIFIED, self.port)).await,
                }
            }
            ListenHost::Ip(ip) => TcpListener::bind(SocketAddr::new(*ip, self.port)).await,
            ListenHost::Name(name) => TcpListener::bind((name.as_str(), self.port)).await,
        }
    }
}

impl fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            ListenHost::Any => write!(f, ":{}", self.port),
            ListenHost::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]:{}", self.port),
            ListenHost::Ip(ip) => write!(f, "{ip}:{}", self.port),
            ListenHost::Name(name) => write!(f, "{name}:{}", self.port),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(host: ListenHost, port: u16) -> Option<ListenAddr> {
        Some(ListenAddr { host, port })
    }

    #[test]
    fn parses_go_listen_addresses() {
        let cases = [
            (":8080", addr(ListenHost::Any, 8080)),
            ("0", None),
            (":0", addr(ListenHost::Any, 0)),
            (
                "127.0.0.1:9440",
                addr(ListenHost::Ip([127, 0, 0, 1].into()), 9440),
            ),
            (
                "[::1]:9090",
                addr(ListenHost::Ip(Ipv6Addr::LOCALHOST.into()), 9090),
            ),
            (
                "localhost:8080",
                addr(ListenHost::Name("localhost".into()), 8080),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(ListenAddr::parse(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn refuses_bad_listen_addresses() {
        for input in [
            "", "8080", ":", ":http", ":65536", "::1:80", "[::1:80", "a b:80", ":-1",
        ] {
            assert!(ListenAddr::parse(input).is_err(), "{input} should fail");
        }
    }

    #[test]
    fn displays_round_trip() {
        for input in [":8080", "127.0.0.1:1", "[::1]:2", "localhost:3"] {
            let parsed = ListenAddr::parse(input).expect("parse").expect("enabled");
            assert_eq!(parsed.to_string(), input);
        }
    }

    #[tokio::test]
    async fn binds_loopback() {
        let loopback = ListenAddr::parse("127.0.0.1:0")
            .expect("parse")
            .expect("enabled");
        let listener = loopback.bind().await.expect("bind loopback");
        assert!(listener.local_addr().expect("addr").ip().is_loopback());
    }
}
