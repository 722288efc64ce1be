//! Kubernetes' IP and CIDR libraries: `ip()`, `isIP()`, `ip.isCanonical()`, the `net.IP`
//! predicates, `cidr()`, `isCIDR()`, `containsIP`, `containsCIDR`, `prefixLength`,
//! `masked`, `string()`; parsing as Go's `net/netip` does, rejecting zones and
//! IPv4-mapped IPv6 addresses as kube does.

use std::net::{IpAddr, Ipv6Addr};

use cel::common::types::{CelBool, CelInt, CelString, Type};
use cel::{DeclarationError, Env, ExecutionError};

use super::fail;
use super::opaque::opaque;

#[derive(Debug, Clone, PartialEq)]
pub struct Ip(IpAddr);
opaque!(Ip, "net.IP");

#[derive(Debug, Clone, PartialEq)]
pub struct Cidr {
    addr: IpAddr,
    bits: u8,
}
opaque!(Cidr, "net.CIDR");

pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_type(Type::new_unspecified_type("net.IP"))?;
    env.add_type(Type::new_unspecified_type("net.CIDR"))?;
    cel::add_overload!(env, fn ip: (CelString) -> Result<Ip>, id = "string_to_ip")?;
    cel::add_overload!(env, fn is_ip: (CelString) -> CelBool, name = "isIP", id = "is_ip")?;
    cel::add_overload!(env, fn is_canonical: (CelString) -> Result<CelBool>,
        name = "ip.isCanonical", id = "ip_is_canonical")?;
    cel::add_overload!(env, fn ip_string: (Ip) -> CelString, name = "string", id = "ip_to_string")?;
    cel::add_member_overload!(env, fn family: (Ip) -> CelInt, id = "ip_family")?;
    cel::add_member_overload!(env, fn is_unspecified: (Ip) -> CelBool, id = "ip_is_unspecified")?;
    cel::add_member_overload!(env, fn is_loopback: (Ip) -> CelBool, id = "ip_is_loopback")?;
    cel::add_member_overload!(env, fn is_link_local_multicast: (Ip) -> CelBool,
        id = "ip_is_link_local_multicast")?;
    cel::add_member_overload!(env, fn is_link_local_unicast: (Ip) -> CelBool,
        id = "ip_is_link_local_unicast")?;
    cel::add_member_overload!(env, fn is_global_unicast: (Ip) -> CelBool,
        id = "ip_is_global_unicast")?;
    cel::add_overload!(env, fn cidr: (CelString) -> Result<Cidr>, id = "string_to_cidr")?;
    cel::add_overload!(env, fn is_cidr: (CelString) -> CelBool, name = "isCIDR", id = "is_cidr")?;
    cel::add_overload!(env, fn cidr_string: (Cidr) -> CelString, name = "string",
        id = "cidr_to_string")?;
    cel::add_member_overload!(env, fn contains_ip: (Cidr, Ip) -> CelBool, name = "containsIP",
        id = "cidr_contains_ip_ip")?;
    cel::add_member_overload!(env, fn contains_ip_string: (Cidr, CelString) -> Result<CelBool>,
        name = "containsIP", id = "cidr_contains_ip_string")?;
    cel::add_member_overload!(env, fn contains_cidr: (Cidr, Cidr) -> CelBool,
        name = "containsCIDR", id = "cidr_contains_cidr")?;
    cel::add_member_overload!(env, fn contains_cidr_string: (Cidr, CelString) -> Result<CelBool>,
        name = "containsCIDR", id = "cidr_contains_cidr_string")?;
    cel::add_member_overload!(env, fn cidr_ip: (Cidr) -> Ip, name = "ip", id = "cidr_ip")?;
    cel::add_member_overload!(env, fn prefix_length: (Cidr) -> CelInt, id = "cidr_prefix_length")?;
    cel::add_member_overload!(env, fn masked: (Cidr) -> Cidr, id = "cidr_masked")?;
    Ok(())
}

/// `netip.ParseAddr`, with its error text.
fn parse_addr(raw: &str) -> Result<(IpAddr, bool), String> {
    let (addr, zone) = match raw.split_once('%') {
        Some((a, z)) if a.contains(':') && !z.is_empty() => (a, true),
        _ => (raw, false),
    };
    let reason = if raw.is_empty() {
        "unable to parse IP"
    } else if addr.contains(':') {
        "unable to parse IPv6 address"
    } else if addr.split('.').any(|o| o.len() > 1 && o.starts_with('0')) {
        "IPv4 field has octet with leading zero"
    } else {
        "unable to parse IP"
    };
    match addr.parse::<IpAddr>() {
        Ok(ip) => Ok((ip, zone)),
        Err(_) => Err(format!("ParseAddr({raw:?}): {reason}")),
    }
}

fn is_mapped(ip: &IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some())
}

/// kube's `parseIPAddr`: no zone, no IPv4-mapped IPv6.
fn parse_ip(raw: &str) -> Result<IpAddr, String> {
    let (ip, zone) = parse_addr(raw).map_err(|e| {
        format!("IP Address {raw:?} parse error during conversion from string: {e}")
    })?;
    if zone {
        return Err(format!("IP address {raw:?} with zone value is not allowed"));
    }
    if is_mapped(&ip) {
        return Err(format!("IPv4-mapped IPv6 address {raw:?} is not allowed"));
    }
    Ok(ip)
}

/// Go's `Addr.String()`: RFC 5952 for IPv6 (the longest run of two or more zero groups,
/// the first on a tie, becomes `::`).
fn canonical(ip: &IpAddr) -> String {
    let v6 = match ip {
        IpAddr::V4(v4) => return v4.to_string(),
        IpAddr::V6(v6) => v6,
    };
    let g = v6.segments();
    let (mut best, mut run) = ((0usize, 0usize), (0usize, 0usize));
    for (i, s) in g.iter().enumerate() {
        if *s == 0 {
            if run.1 == 0 {
                run.0 = i;
            }
            run.1 += 1;
            if run.1 > best.1 {
                best = run;
            }
        } else {
            run.1 = 0;
        }
    }
    let hex = |r: &[u16]| {
        r.iter()
            .map(|s| format!("{s:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    if best.1 < 2 {
        return hex(&g);
    }
    format!("{}::{}", hex(&g[..best.0]), hex(&g[best.0 + best.1..]))
}

fn ip(s: &CelString<'_>) -> Result<Ip, ExecutionError> {
    parse_ip(s.inner()).map(Ip).map_err(|e| fail("ip", e))
}

fn is_ip(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_ip(s.inner()).is_ok())
}

fn is_canonical(s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    let ip = parse_ip(s.inner()).map_err(|e| fail("ip.isCanonical", e))?;
    Ok(CelBool::from(canonical(&ip) == s.inner()))
}

fn ip_string(ip: &Ip) -> CelString<'static> {
    CelString::from(canonical(&ip.0))
}

fn family(ip: &Ip) -> CelInt {
    CelInt::from(if ip.0.is_ipv4() { 4 } else { 6 })
}

fn is_unspecified(ip: &Ip) -> CelBool {
    CelBool::from(ip.0.is_unspecified())
}

fn is_loopback(ip: &Ip) -> CelBool {
    CelBool::from(ip.0.is_loopback())
}

fn link_local_multicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff02,
    }
}

fn link_local_unicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..2] == [169, 254],
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

fn is_link_local_multicast(ip: &Ip) -> CelBool {
    CelBool::from(link_local_multicast(&ip.0))
}

fn is_link_local_unicast(ip: &Ip) -> CelBool {
    CelBool::from(link_local_unicast(&ip.0))
}

fn is_global_unicast(ip: &Ip) -> CelBool {
    let a = &ip.0;
    let broadcast = matches!(a, IpAddr::V4(v4) if v4.is_broadcast());
    CelBool::from(
        !broadcast
            && !a.is_unspecified()
            && !a.is_loopback()
            && !a.is_multicast()
            && !link_local_unicast(a),
    )
}

/// `netip.ParsePrefix` and kube's `parseCIDR`, with their error texts.
fn parse_cidr(raw: &str) -> Result<Cidr, String> {
    let wrap =
        |e: String| format!("network address parse error during conversion from string: {e}");
    let prefix = |e: &str| wrap(format!("netip.ParsePrefix({raw:?}): {e}"));
    let Some((addr, bits)) = raw.rsplit_once('/') else {
        return Err(prefix("no '/'"));
    };
    let (ip, zone) = parse_addr(addr).map_err(|e| prefix(&e))?;
    if zone {
        return Err(prefix("IPv6 zones cannot be present in a prefix"));
    }
    let digits = !bits.is_empty() && bits.bytes().all(|b| b.is_ascii_digit());
    if !digits || (bits.len() > 1 && bits.starts_with('0')) {
        return Err(prefix(&format!("bad bits after slash: {bits:?}")));
    }
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = bits.parse::<u8>().ok().filter(|b| *b <= max);
    let Some(bits) = bits else {
        return Err(prefix("prefix length out of range"));
    };
    if is_mapped(&ip) {
        return Err(format!("IPv4-mapped IPv6 address {raw:?} is not allowed"));
    }
    Ok(Cidr { addr: ip, bits })
}

fn mask(ip: &IpAddr, bits: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let m = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            IpAddr::V4((u32::from(*v4) & m).into())
        }
        IpAddr::V6(v6) => {
            let m = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(*v6) & m))
        }
    }
}

fn cidr(s: &CelString<'_>) -> Result<Cidr, ExecutionError> {
    parse_cidr(s.inner()).map_err(|e| fail("cidr", wrap_cidr(e)))
}

/// kube wraps the parse error once more when converting a string.
fn wrap_cidr(e: String) -> String {
    format!("network address parse error during conversion from string: {e}")
}

fn is_cidr(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_cidr(s.inner()).is_ok())
}

fn cidr_string(c: &Cidr) -> CelString<'static> {
    CelString::from(format!("{}/{}", canonical(&c.addr), c.bits))
}

fn contains_ip(c: &Cidr, ip: &Ip) -> CelBool {
    let same = c.addr.is_ipv4() == ip.0.is_ipv4();
    CelBool::from(same && mask(&c.addr, c.bits) == mask(&ip.0, c.bits))
}

fn contains_ip_string(c: &Cidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    Ok(contains_ip(c, &ip(s)?))
}

/// As kube compares it: the other prefix's address, unmasked, must be this prefix's
/// network address, and the other prefix no wider.
fn contains_cidr(c: &Cidr, other: &Cidr) -> CelBool {
    let same = c.addr.is_ipv4() == other.addr.is_ipv4();
    CelBool::from(same && mask(&c.addr, c.bits) == other.addr && c.bits <= other.bits)
}

fn contains_cidr_string(c: &Cidr, s: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    Ok(contains_cidr(c, &cidr(s)?))
}

fn cidr_ip(c: &Cidr) -> Ip {
    Ip(c.addr)
}

fn prefix_length(c: &Cidr) -> CelInt {
    CelInt::from(i64::from(c.bits))
}

fn masked(c: &Cidr) -> Cidr {
    Cidr {
        addr: mask(&c.addr, c.bits),
        bits: c.bits,
    }
}
