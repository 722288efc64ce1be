//! libyaml's input side: character classes over UTF-8 bytes, the cursor with its mark, and
//! the reader's 512-byte decoding windows, which decide when a forbidden character is
//! reported (a control character fails only once the scanner's lookahead reaches its window).

use super::{Failure, Mark, Res, Stage};

/// libyaml's raw input buffer size: the reader decodes (and checks) this much at a time.
const RAW_WINDOW: usize = 512;

/// The input, a cursor into it and the reader's decoding progress.
pub(super) struct Input<'a> {
    src: &'a [u8],
    pub(super) pos: usize,
    pub(super) mark: Mark,
    decoded: usize,
    window_end: usize,
    eof: bool,
    /// The first character libyaml's reader refuses: its byte offset and the reason.
    bad: Option<(usize, &'static str)>,
    /// Where libyaml's character buffer began at its last refill (it moves the unread
    /// characters to the front then): its byte order mark test looks there.
    buffer_start: usize,
}

impl<'a> Input<'a> {
    pub(super) fn new(src: &'a [u8]) -> Input<'a> {
        // A UTF-8 byte order mark is consumed while detecting the encoding.
        let start = if src.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Input {
            src,
            pos: start,
            mark: Mark {
                byte: start,
                ..Mark::default()
            },
            decoded: start,
            window_end: RAW_WINDOW,
            eof: false,
            bad: first_forbidden(src, start),
            buffer_start: start,
        }
    }

    /// go-yaml's `is_bom`, which reads the start of its buffer rather than the cursor: a
    /// second byte order mark at the start makes the scanner skip a character at every
    /// token that starts a line, and a mark later in the text is just a character.
    pub(super) fn bom_at_buffer_start(&self) -> bool {
        self.src[self.buffer_start.min(self.src.len())..].starts_with(b"\xEF\xBB\xBF")
    }

    /// The byte at `pos + k`, or NUL past the end (libyaml pads its buffer with zeros).
    pub(super) fn at(&self, k: usize) -> u8 {
        self.src.get(self.pos + k).copied().unwrap_or(0)
    }

    /// libyaml's `cache`: makes sure `n` characters are decoded, failing as its reader does
    /// when a window holds a forbidden character.
    pub(super) fn cache(&mut self, n: usize) -> Res<()> {
        let len = self.src.len();
        // Fast path: everything is decoded, or `n` characters (at most 4n bytes) are.
        if self.decoded >= len || self.decoded >= self.pos + 4 * n {
            return Ok(());
        }
        let mut end = self.pos;
        for _ in 0..n {
            if end >= len {
                end = len + 1;
                break;
            }
            end += width(self.src[end]).max(1);
        }
        while self.decoded < end.min(len) || (end > len && !self.eof) {
            if self.decoded >= len {
                self.eof = true;
                break;
            }
            self.decode_window()?;
        }
        Ok(())
    }

    fn decode_window(&mut self) -> Res<()> {
        self.buffer_start = self.pos;
        let stop = self.window_end.min(self.src.len());
        let mut d = self.decoded;
        while d < stop {
            if let Some((at, problem)) = self.bad
                && at == d
            {
                return Err(Failure {
                    stage: Stage::Reader,
                    problem: problem.into(),
                    problem_mark: Mark::default(),
                    context_mark: Mark::default(),
                });
            }
            let w = width(self.src[d]).max(1);
            if d + w > stop && stop < self.src.len() {
                break;
            }
            d += w;
        }
        self.decoded = d;
        self.window_end = d + RAW_WINDOW;
        Ok(())
    }

    /// Moves past one character on the current line.
    pub(super) fn skip(&mut self) {
        self.mark.index += 1;
        self.mark.column += 1;
        self.pos += width(self.at(0)).max(1);
        self.mark.byte = self.pos;
    }

    /// Copies the current character into `out` and moves past it (libyaml's `read`).
    pub(super) fn read(&mut self, out: &mut Vec<u8>) {
        let end = (self.pos + width(self.at(0)).max(1)).min(self.src.len());
        out.extend_from_slice(&self.src[self.pos.min(end)..end]);
        self.skip();
    }

    /// Moves past printable ASCII characters other than those `special` names, all on the
    /// current line: the scanner's fast path through plain text. No cache check is needed
    /// on the way: such bytes are never what the reader refuses, and the next `cache` call
    /// decodes (and checks) everything up to where the scanner then stands.
    pub(super) fn skip_plain_ascii(&mut self, special: impl Fn(u8) -> bool) {
        let run = self.src[self.pos.min(self.src.len())..]
            .iter()
            .take_while(|&&b| (0x21..=0x7E).contains(&b) && !special(b))
            .count();
        self.pos += run;
        self.mark.index += run;
        self.mark.column += run;
        self.mark.byte = self.pos;
    }

    /// The text from byte `from` to the cursor.
    pub(super) fn since(&self, from: usize) -> &'a [u8] {
        &self.src[from.min(self.pos)..self.pos.min(self.src.len())]
    }

    /// Moves past a line break as libyaml's `read_line` does: CR LF, CR, LF and NEL are
    /// stored as one LF, LS and PS as themselves.
    pub(super) fn read_line(&mut self, out: &mut Vec<u8>) {
        match self.at(0) {
            b'\r' | b'\n' => out.push(b'\n'),
            0xC2 if self.at(1) == 0x85 => out.push(b'\n'),
            0xE2 if is_break(self, 0) => out.extend_from_slice(&self.src[self.pos..self.pos + 3]),
            _ => return,
        }
        self.skip_line();
    }

    /// Moves past a line break (CR LF counts as one), if there is one.
    pub(super) fn skip_line(&mut self) {
        if self.at(0) == b'\r' && self.at(1) == b'\n' {
            self.mark.index += 2;
            self.pos += 2;
        } else if is_break(self, 0) {
            self.mark.index += 1;
            self.pos += width(self.at(0)).max(1);
        } else {
            return;
        }
        self.mark.column = 0;
        self.mark.line += 1;
        self.mark.byte = self.pos;
    }
}

/// The first character libyaml's reader refuses, with its reason: malformed UTF-8, or a
/// character outside tab, LF, CR, printable ASCII, NEL and the printable planes.
fn first_forbidden(src: &[u8], start: usize) -> Option<(usize, &'static str)> {
    let mut i = start;
    while i < src.len() {
        // Printable ASCII, tab and line breaks: most of any document, and always allowed.
        if matches!(src[i], 0x20..=0x7E | b'\n' | b'\t' | b'\r') {
            i += 1;
            continue;
        }
        let w = width(src[i]);
        if w == 0 {
            return Some((i, "invalid leading UTF-8 octet"));
        }
        if i + w > src.len() {
            return Some((i, "incomplete UTF-8 octet sequence"));
        }
        let mut v = u32::from(src[i]) & [0x7F, 0x1F, 0x0F, 0x07][w - 1];
        for &b in &src[i + 1..i + w] {
            if b & 0xC0 != 0x80 {
                return Some((i, "invalid trailing UTF-8 octet"));
            }
            v = (v << 6) | u32::from(b & 0x3F);
        }
        let shortest = match w {
            1 => true,
            2 => v >= 0x80,
            3 => v >= 0x800,
            _ => v >= 0x10000,
        };
        if !shortest {
            return Some((i, "invalid length of a UTF-8 sequence"));
        }
        if (0xD800..=0xDFFF).contains(&v) || v > 0x10FFFF {
            return Some((i, "invalid Unicode character"));
        }
        let allowed = matches!(v, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85)
            || (0xA0..=0xD7FF).contains(&v)
            || (0xE000..=0xFFFD).contains(&v)
            || (0x10000..=0x10FFFF).contains(&v);
        if !allowed {
            return Some((i, "control characters are not allowed"));
        }
        i += w;
    }
    None
}

/// The length of a UTF-8 sequence from its first byte (0 for a continuation byte).
pub(super) fn width(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 0,
    }
}

pub(super) fn is_alpha(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

pub(super) fn is_blank_byte(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

pub(super) fn is_blank(i: &Input, k: usize) -> bool {
    is_blank_byte(i.at(k))
}

pub(super) fn is_break(i: &Input, k: usize) -> bool {
    match i.at(k) {
        b'\r' | b'\n' => true,
        0xC2 => i.at(k + 1) == 0x85,
        0xE2 => i.at(k + 1) == 0x80 && matches!(i.at(k + 2), 0xA8 | 0xA9),
        _ => false,
    }
}

pub(super) fn is_z(i: &Input, k: usize) -> bool {
    i.at(k) == 0
}

pub(super) fn is_breakz(i: &Input, k: usize) -> bool {
    is_break(i, k) || is_z(i, k)
}

pub(super) fn is_blankz(i: &Input, k: usize) -> bool {
    is_blank(i, k) || is_breakz(i, k)
}
