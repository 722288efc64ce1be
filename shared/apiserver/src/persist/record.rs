//! The on-disk framing shared by log segments and snapshots: an 8-byte file header (magic and
//! format version), then records of `length u32 LE | crc32 u32 LE | payload`. Scanning is pure:
//! it finds the good records and says where and why the first bad one is, so the caller can
//! tell a torn tail (dropped) from corruption (refused).

/// The format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Bytes of a file header.
pub const HEADER_LEN: usize = 8;
/// Bytes before each payload.
pub const FRAME_LEN: usize = 8;
/// The largest payload accepted; a larger length is garbage.
pub const MAX_PAYLOAD: usize = 256 * 1024 * 1024;

/// Which kind of file a header announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Log,
    Snapshot,
}

impl FileKind {
    fn magic(self) -> &'static [u8; 7] {
        match self {
            FileKind::Log => b"FLXWAL\0",
            FileKind::Snapshot => b"FLXSNP\0",
        }
    }
}

/// The header of a new file of `kind`.
pub fn header(kind: FileKind) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..7].copy_from_slice(kind.magic());
    h[7] = VERSION;
    h
}

/// Why a header was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderFault {
    /// Fewer bytes than a header.
    Short,
    /// Not a file of this kind.
    Magic,
    /// A format version this build does not read.
    Version(u8),
}

/// Checks the header of `bytes` for a file of `kind`.
pub fn check_header(bytes: &[u8], kind: FileKind) -> Result<(), HeaderFault> {
    if bytes.len() < HEADER_LEN {
        return Err(HeaderFault::Short);
    }
    if &bytes[..7] != kind.magic() {
        return Err(HeaderFault::Magic);
    }
    match bytes[7] {
        VERSION => Ok(()),
        v => Err(HeaderFault::Version(v)),
    }
}

/// Appends one framed record holding `payload` to `out`.
pub fn frame(payload: &[u8], out: &mut Vec<u8>) {
    // Payloads are bounded by MAX_PAYLOAD at encoding, far below u32::MAX.
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// What is wrong with the record at some offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// The frame or payload runs past the end of the file.
    Truncated,
    /// A zero or oversized length.
    BadLength,
    /// The payload does not match its checksum.
    BadChecksum,
}

impl FaultKind {
    pub fn describe(self) -> &'static str {
        match self {
            FaultKind::Truncated => "record runs past the end of the file",
            FaultKind::BadLength => "invalid record length",
            FaultKind::BadChecksum => "checksum mismatch",
        }
    }
}

/// The first bad record of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    pub offset: usize,
    pub kind: FaultKind,
    /// The fault can only be an interrupted last write: nothing but zeros or the bad record
    /// itself follows it.
    pub torn_tail: bool,
}

/// The result of scanning a file: good records (offset, payload) up to `end`, and the fault
/// that stopped the scan, if any.
#[derive(Debug, Default)]
pub struct Scan<'a> {
    pub records: Vec<(usize, &'a [u8])>,
    pub end: usize,
    pub fault: Option<Fault>,
}

/// Reads the records of `bytes` from `start` (just after the header).
pub fn scan(bytes: &[u8], start: usize) -> Scan<'_> {
    let mut scan = Scan {
        end: start,
        ..Scan::default()
    };
    let mut at = start;
    while at < bytes.len() {
        match record_at(bytes, at) {
            Ok((payload, next)) => {
                scan.records.push((at, payload));
                at = next;
                scan.end = at;
            }
            Err((kind, extent)) => {
                let torn_tail = kind == FaultKind::Truncated
                    || extent == bytes.len()
                    || bytes[at..].iter().all(|b| *b == 0);
                scan.fault = Some(Fault {
                    offset: at,
                    kind,
                    torn_tail,
                });
                break;
            }
        }
    }
    scan
}

/// The payload at `at` and the offset after it, or the fault and where the bad record ends.
fn record_at(bytes: &[u8], at: usize) -> Result<(&[u8], usize), (FaultKind, usize)> {
    let rest = &bytes[at..];
    if rest.len() < FRAME_LEN {
        return Err((FaultKind::Truncated, bytes.len()));
    }
    let len = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
    let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
    if len == 0 || len > MAX_PAYLOAD {
        return Err((FaultKind::BadLength, bytes.len().min(at + FRAME_LEN)));
    }
    let end = at + FRAME_LEN + len;
    if end > bytes.len() {
        return Err((FaultKind::Truncated, bytes.len()));
    }
    let payload = &bytes[at + FRAME_LEN..end];
    if crc32fast::hash(payload) != crc {
        return Err((FaultKind::BadChecksum, end));
    }
    Ok((payload, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(payloads: &[&[u8]]) -> Vec<u8> {
        let mut out = header(FileKind::Log).to_vec();
        for p in payloads {
            frame(p, &mut out);
        }
        out
    }

    #[test]
    fn reads_back_what_was_framed() {
        let bytes = file(&[b"one", b"two"]);
        assert_eq!(check_header(&bytes, FileKind::Log), Ok(()));
        assert_eq!(
            check_header(&bytes, FileKind::Snapshot),
            Err(HeaderFault::Magic)
        );
        let s = scan(&bytes, HEADER_LEN);
        let payloads: Vec<&[u8]> = s.records.iter().map(|(_, p)| *p).collect();
        assert_eq!(payloads, vec![&b"one"[..], &b"two"[..]]);
        assert_eq!(s.end, bytes.len());
        assert!(s.fault.is_none());
    }

    #[test]
    fn a_cut_last_record_is_a_torn_tail() {
        let whole = file(&[b"one", b"two"]);
        for cut in (HEADER_LEN + 11 + 1)..whole.len() {
            let s = scan(&whole[..cut], HEADER_LEN);
            assert_eq!(s.records.len(), 1, "cut at {cut}");
            assert_eq!(s.end, HEADER_LEN + 11);
            let f = s.fault.expect("fault");
            assert!(f.torn_tail && f.kind == FaultKind::Truncated);
        }
    }

    #[test]
    fn garbage_at_the_end_is_torn_but_in_the_middle_is_corrupt() {
        let mut bytes = file(&[b"one", b"two"]);
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        let f = scan(&bytes, HEADER_LEN).fault.expect("fault");
        assert_eq!((f.kind, f.torn_tail), (FaultKind::BadChecksum, true));

        let mut bytes = file(&[b"one", b"two", b"three"]);
        bytes[HEADER_LEN + FRAME_LEN] ^= 0xff;
        let f = scan(&bytes, HEADER_LEN).fault.expect("fault");
        assert_eq!(f.offset, HEADER_LEN);
        assert_eq!((f.kind, f.torn_tail), (FaultKind::BadChecksum, false));
    }

    #[test]
    fn zeros_after_the_last_record_are_a_torn_tail() {
        let mut bytes = file(&[b"one"]);
        bytes.extend_from_slice(&[0u8; 4096]);
        let s = scan(&bytes, HEADER_LEN);
        assert_eq!(s.records.len(), 1);
        let f = s.fault.expect("fault");
        assert_eq!((f.kind, f.torn_tail), (FaultKind::BadLength, true));
    }

    #[test]
    fn unknown_versions_are_named() {
        let mut bytes = file(&[]);
        bytes[7] = 9;
        assert_eq!(
            check_header(&bytes, FileKind::Log),
            Err(HeaderFault::Version(9))
        );
        assert_eq!(
            check_header(&bytes[..3], FileKind::Log),
            Err(HeaderFault::Short)
        );
    }
}
