//! libyaml's token scanners for directives, anchors, tags and block scalars, with its
//! error texts and its way of building block scalar values (folding, chomping).

use super::reader::{is_alpha, is_blank, is_blankz, is_break, is_breakz, is_z, width};
use fluxion_kustomize::yaml::Style;

use super::scanner::{Kind, Scanner, Token, text};
use super::{Mark, Res};

impl Scanner<'_> {
    pub(super) fn at(&self, k: usize) -> u8 {
        self.input.at(k)
    }

    fn skip_blanks(&mut self) -> Res<()> {
        self.input.cache(1)?;
        while is_blank(&self.input, 0) {
            self.input.skip();
            self.input.cache(1)?;
        }
        Ok(())
    }

    /// Blanks, an optional comment, then a line break or the end of the input.
    fn finish_line(&mut self, start: Mark) -> Res<()> {
        self.skip_blanks()?;
        if self.at(0) == b'#' {
            while !is_breakz(&self.input, 0) {
                self.input.skip();
                self.input.cache(1)?;
            }
        }
        if !is_breakz(&self.input, 0) {
            return Err(self.error(start, "did not find expected comment or line break"));
        }
        if is_break(&self.input, 0) {
            self.input.cache(2)?;
            self.input.skip_line();
        }
        Ok(())
    }

    /// The run of alphanumeric, `_` and `-` characters at the cursor (a directive, anchor
    /// or alias name).
    fn alpha_run(&mut self) -> Res<String> {
        self.input.cache(1)?;
        let mut name = String::new();
        while is_alpha(self.at(0)) {
            name.push(self.at(0) as char);
            self.input.skip();
            self.input.cache(1)?;
        }
        Ok(name)
    }

    pub(super) fn scan_directive(&mut self) -> Res<Token> {
        let start = self.input.mark;
        self.input.skip();
        let name = self.alpha_run()?;
        if name.is_empty() {
            return Err(self.error(start, "could not find expected directive name"));
        }
        if !is_blankz(&self.input, 0) {
            return Err(self.error(start, "found unexpected non-alphabetical character"));
        }
        let mut token = match name.as_str() {
            "YAML" => {
                self.skip_blanks()?;
                let major = self.version_number(start)?;
                if self.at(0) != b'.' {
                    return Err(self.error(start, "did not find expected digit or '.' character"));
                }
                self.input.skip();
                let minor = self.version_number(start)?;
                let mut t = Token::new(Kind::VersionDirective, start, self.input.mark);
                t.version = (major, minor);
                t
            }
            "TAG" => self.tag_directive(start)?,
            _ => return Err(self.error(start, "found unknown directive name")),
        };
        token.end = self.input.mark;
        self.finish_line(start)?;
        Ok(token)
    }

    fn version_number(&mut self, start: Mark) -> Res<u32> {
        self.input.cache(1)?;
        let (mut value, mut length) = (0u32, 0);
        while self.at(0).is_ascii_digit() {
            length += 1;
            if length > 2 {
                return Err(self.error(start, "found extremely long version number"));
            }
            value = value * 10 + u32::from(self.at(0) - b'0');
            self.input.skip();
            self.input.cache(1)?;
        }
        if length == 0 {
            return Err(self.error(start, "did not find expected version number"));
        }
        Ok(value)
    }

    fn tag_directive(&mut self, start: Mark) -> Res<Token> {
        self.skip_blanks()?;
        let handle = self.tag_handle(true, start)?;
        self.input.cache(1)?;
        if !is_blank(&self.input, 0) {
            return Err(self.error(start, "did not find expected whitespace"));
        }
        self.skip_blanks()?;
        let mut prefix = Vec::new();
        self.tag_uri("", start, &mut prefix)?;
        self.input.cache(1)?;
        if !is_blankz(&self.input, 0) {
            return Err(self.error(start, "did not find expected whitespace or line break"));
        }
        let mut t = Token::new(Kind::TagDirective, start, self.input.mark);
        t.value = handle;
        t.suffix = text(prefix);
        Ok(t)
    }

    pub(super) fn scan_anchor(&mut self, kind: Kind) -> Res<Token> {
        let start = self.input.mark;
        self.input.skip();
        let name = self.alpha_run()?;
        let end = self.input.mark;
        let follows = is_blankz(&self.input, 0)
            || matches!(
                self.at(0),
                b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'
            );
        if name.is_empty() || !follows {
            return Err(self.error(
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let mut t = Token::new(kind, start, end);
        t.value = name;
        Ok(t)
    }

    /// A tag token: its value is the handle the parser resolves (empty for verbatim tags
    /// and for the non-specific `!`, whose suffix is then `!`), its suffix the rest.
    pub(super) fn scan_tag(&mut self) -> Res<Token> {
        let start = self.input.mark;
        self.input.cache(2)?;
        let mut suffix = Vec::new();
        let handle = if self.at(1) == b'<' {
            self.input.skip();
            self.input.skip();
            self.tag_uri("", start, &mut suffix)?;
            if self.at(0) != b'>' {
                return Err(self.error(start, "did not find the expected '>'"));
            }
            self.input.skip();
            String::new()
        } else {
            let handle = self.tag_handle(false, start)?;
            if handle.len() > 1 && handle.ends_with('!') {
                self.tag_uri("", start, &mut suffix)?;
                handle
            } else {
                self.tag_uri(&handle, start, &mut suffix)?;
                if suffix.is_empty() {
                    suffix = b"!".to_vec();
                    String::new()
                } else {
                    "!".to_string()
                }
            }
        };
        self.input.cache(1)?;
        if !is_blankz(&self.input, 0) {
            return Err(self.error(start, "did not find expected whitespace or line break"));
        }
        let mut t = Token::new(Kind::Tag, start, self.input.mark);
        t.value = handle;
        t.suffix = text(suffix);
        Ok(t)
    }

    fn tag_handle(&mut self, directive: bool, start: Mark) -> Res<String> {
        self.input.cache(1)?;
        if self.at(0) != b'!' {
            return Err(self.error(start, "did not find expected '!'"));
        }
        self.input.skip();
        let mut s = format!("!{}", self.alpha_run()?);
        if self.at(0) == b'!' {
            s.push('!');
            self.input.skip();
        } else if directive && s != "!" {
            return Err(self.error(start, "did not find expected '!'"));
        }
        Ok(s)
    }

    /// Scans a tag URI into `out`, after `head`'s text past its `!`.
    fn tag_uri(&mut self, head: &str, start: Mark, out: &mut Vec<u8>) -> Res<()> {
        out.extend_from_slice(head.as_bytes().get(1..).unwrap_or_default());
        let mut has_tag = !head.is_empty();
        self.input.cache(1)?;
        while is_alpha(self.at(0)) || b";/?:@&=+$,.!~*'()[]%".contains(&self.at(0)) {
            if self.at(0) == b'%' {
                self.uri_escapes(start, out)?;
            } else {
                self.input.read(out);
            }
            self.input.cache(1)?;
            has_tag = true;
        }
        if !has_tag {
            return Err(self.error(start, "did not find expected tag URI"));
        }
        Ok(())
    }

    /// A `%`-escaped UTF-8 character of a tag URI, decoded into `out`.
    fn uri_escapes(&mut self, start: Mark, out: &mut Vec<u8>) -> Res<()> {
        let mut w = 1024;
        while w > 0 {
            self.input.cache(3)?;
            let hex = |b: u8| (b as char).to_digit(16);
            let (Some(hi), Some(lo)) = (hex(self.at(1)), hex(self.at(2))) else {
                return Err(self.error(start, "did not find URI escaped octet"));
            };
            if self.at(0) != b'%' {
                return Err(self.error(start, "did not find URI escaped octet"));
            }
            let octet = (hi * 16 + lo) as u8;
            if w == 1024 {
                w = width(octet);
                if w == 0 {
                    return Err(self.error(start, "found an incorrect leading UTF-8 octet"));
                }
            } else if octet & 0xC0 != 0x80 {
                return Err(self.error(start, "found an incorrect trailing UTF-8 octet"));
            }
            out.push(octet);
            for _ in 0..3 {
                self.input.skip();
            }
            w -= 1;
        }
        Ok(())
    }

    pub(super) fn scan_block_scalar(&mut self) -> Res<Token> {
        let start = self.input.mark;
        let literal = self.at(0) == b'|';
        self.input.skip();
        self.input.cache(1)?;
        let (chomping, increment) = self.block_scalar_header(start)?;
        self.finish_line(start)?;
        let mut indent = if increment > 0 {
            if self.indent >= 0 {
                self.indent as usize + increment
            } else {
                increment
            }
        } else {
            0
        };
        let mut s = Vec::new();
        let mut leading_break = Vec::new();
        let mut trailing_breaks = Vec::new();
        self.block_scalar_breaks(&mut indent, &mut trailing_breaks, start)?;
        self.input.cache(1)?;
        let mut leading_blank = false;
        while self.input.mark.column == indent && !is_z(&self.input, 0) {
            // A folded line break becomes a space only between two lines that start
            // without blanks, and disappears when empty lines follow it.
            let trailing_blank = is_blank(&self.input, 0);
            if !literal
                && !leading_blank
                && !trailing_blank
                && leading_break.first() == Some(&b'\n')
            {
                if trailing_breaks.is_empty() {
                    s.push(b' ');
                }
            } else {
                s.extend_from_slice(&leading_break);
            }
            leading_break.clear();
            s.append(&mut trailing_breaks);
            leading_blank = is_blank(&self.input, 0);
            while !is_breakz(&self.input, 0) {
                self.input.read(&mut s);
                self.input.cache(1)?;
            }
            self.input.cache(2)?;
            self.input.read_line(&mut leading_break);
            self.block_scalar_breaks(&mut indent, &mut trailing_breaks, start)?;
        }
        if chomping != Chomping::Strip {
            s.append(&mut leading_break);
        }
        if chomping == Chomping::Keep {
            s.append(&mut trailing_breaks);
        }
        let mut t = Token::new(Kind::Scalar, start, self.input.mark);
        t.value = text(s);
        t.style = if literal {
            Style::Literal
        } else {
            Style::Folded
        };
        Ok(t)
    }

    /// The chomping and indentation indicators after `|` or `>`, in either order.
    fn block_scalar_header(&mut self, start: Mark) -> Res<(Chomping, usize)> {
        let chomp = |b: u8| match b {
            b'+' => Some(Chomping::Keep),
            b'-' => Some(Chomping::Strip),
            _ => None,
        };
        let mut chomping = Chomping::Clip;
        let mut increment = 0;
        if let Some(c) = chomp(self.at(0)) {
            chomping = c;
            self.input.skip();
            self.input.cache(1)?;
            if self.at(0).is_ascii_digit() {
                increment = self.indentation_indicator(start)?;
            }
        } else if self.at(0).is_ascii_digit() {
            increment = self.indentation_indicator(start)?;
            self.input.cache(1)?;
            if let Some(c) = chomp(self.at(0)) {
                chomping = c;
                self.input.skip();
            }
        }
        Ok((chomping, increment))
    }

    fn indentation_indicator(&mut self, start: Mark) -> Res<usize> {
        if self.at(0) == b'0' {
            return Err(self.error(start, "found an indentation indicator equal to 0"));
        }
        let n = usize::from(self.at(0) - b'0');
        self.input.skip();
        Ok(n)
    }

    /// Blank lines of a block scalar (collected into `breaks`); settles the indentation
    /// when not given.
    fn block_scalar_breaks(
        &mut self,
        indent: &mut usize,
        breaks: &mut Vec<u8>,
        start: Mark,
    ) -> Res<()> {
        let mut max_indent = 0;
        loop {
            self.input.cache(1)?;
            while (*indent == 0 || self.input.mark.column < *indent) && self.at(0) == b' ' {
                self.input.skip();
                self.input.cache(1)?;
            }
            max_indent = max_indent.max(self.input.mark.column);
            if (*indent == 0 || self.input.mark.column < *indent) && self.at(0) == b'\t' {
                return Err(self.error(
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !is_break(&self.input, 0) {
                break;
            }
            self.input.cache(2)?;
            self.input.read_line(breaks);
        }
        if *indent == 0 {
            *indent = max_indent.max((self.indent + 1).max(1) as usize);
        }
        Ok(())
    }

    pub(super) fn document_indicator_here(&self) -> bool {
        self.input.mark.column == 0
            && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
            && is_blankz(&self.input, 3)
    }
}

/// What a block scalar keeps of its final line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chomping {
    Strip,
    Clip,
    Keep,
}
