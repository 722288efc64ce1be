//! libyaml's token scanners for directives, anchors, tags and the four scalar styles, with
//! its error texts. Scalar contents are walked, not built: only their errors matter here.

use super::reader::{
    is_alpha, is_blank, is_blank_byte, is_blankz, is_break, is_breakz, is_z, width,
};
use super::scanner::{Kind, Scanner, Token};
use super::{Mark, Res};

impl Scanner<'_> {
    fn at(&self, k: usize) -> u8 {
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

    pub(super) fn scan_directive(&mut self) -> Res<Token> {
        let start = self.input.mark;
        self.input.skip();
        self.input.cache(1)?;
        let mut name = String::new();
        while is_alpha(self.at(0)) {
            name.push(self.at(0) as char);
            self.input.skip();
            self.input.cache(1)?;
        }
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
        self.tag_uri("", start)?;
        self.input.cache(1)?;
        if !is_blankz(&self.input, 0) {
            return Err(self.error(start, "did not find expected whitespace or line break"));
        }
        let mut t = Token::new(Kind::TagDirective, start, self.input.mark);
        t.value = handle;
        Ok(t)
    }

    pub(super) fn scan_anchor(&mut self, kind: Kind) -> Res<Token> {
        let start = self.input.mark;
        self.input.skip();
        self.input.cache(1)?;
        let mut name = String::new();
        while is_alpha(self.at(0)) {
            name.push(self.at(0) as char);
            self.input.skip();
            self.input.cache(1)?;
        }
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

    /// A tag token; its value is the handle the parser resolves (empty for verbatim tags
    /// and for a primary handle with an empty suffix).
    pub(super) fn scan_tag(&mut self) -> Res<Token> {
        let start = self.input.mark;
        self.input.cache(2)?;
        let handle = if self.at(1) == b'<' {
            self.input.skip();
            self.input.skip();
            self.tag_uri("", start)?;
            if self.at(0) != b'>' {
                return Err(self.error(start, "did not find the expected '>'"));
            }
            self.input.skip();
            String::new()
        } else {
            let handle = self.tag_handle(false, start)?;
            if handle.len() > 1 && handle.ends_with('!') {
                self.tag_uri("", start)?;
                handle
            } else {
                let suffix_len = self.tag_uri(&handle, start)?;
                if suffix_len == 0 {
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
        Ok(t)
    }

    fn tag_handle(&mut self, directive: bool, start: Mark) -> Res<String> {
        self.input.cache(1)?;
        if self.at(0) != b'!' {
            return Err(self.error(start, "did not find expected '!'"));
        }
        let mut s = String::from("!");
        self.input.skip();
        self.input.cache(1)?;
        while is_alpha(self.at(0)) {
            s.push(self.at(0) as char);
            self.input.skip();
            self.input.cache(1)?;
        }
        if self.at(0) == b'!' {
            s.push('!');
            self.input.skip();
        } else if directive && s != "!" {
            return Err(self.error(start, "did not find expected '!'"));
        }
        Ok(s)
    }

    /// Scans a tag URI; returns its length in bytes (with `head`'s text after the `!`).
    fn tag_uri(&mut self, head: &str, start: Mark) -> Res<usize> {
        let mut len = head.len().saturating_sub(1);
        let mut has_tag = !head.is_empty();
        self.input.cache(1)?;
        while is_alpha(self.at(0)) || b";/?:@&=+$,.!~*'()[]%".contains(&self.at(0)) {
            if self.at(0) == b'%' {
                len += self.uri_escapes(start)?;
            } else {
                len += width(self.at(0)).max(1);
                self.input.skip();
            }
            self.input.cache(1)?;
            has_tag = true;
        }
        if !has_tag {
            return Err(self.error(start, "did not find expected tag URI"));
        }
        Ok(len)
    }

    fn uri_escapes(&mut self, start: Mark) -> Res<usize> {
        let mut w = 1024;
        let mut n = 0;
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
            for _ in 0..3 {
                self.input.skip();
            }
            n += 1;
            w -= 1;
        }
        Ok(n)
    }

    pub(super) fn scan_block_scalar(&mut self) -> Res<Token> {
        let start = self.input.mark;
        self.input.skip();
        self.input.cache(1)?;
        let mut increment = 0usize;
        if matches!(self.at(0), b'+' | b'-') {
            self.input.skip();
            self.input.cache(1)?;
            if self.at(0).is_ascii_digit() {
                increment = self.indentation_indicator(start)?;
            }
        } else if self.at(0).is_ascii_digit() {
            increment = self.indentation_indicator(start)?;
            self.input.cache(1)?;
            if matches!(self.at(0), b'+' | b'-') {
                self.input.skip();
            }
        }
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
        self.block_scalar_breaks(&mut indent, start)?;
        self.input.cache(1)?;
        while self.input.mark.column == indent && !is_z(&self.input, 0) {
            while !is_breakz(&self.input, 0) {
                self.input.skip();
                self.input.cache(1)?;
            }
            self.input.cache(2)?;
            self.input.skip_line();
            self.block_scalar_breaks(&mut indent, start)?;
        }
        Ok(Token::new(Kind::Scalar, start, self.input.mark))
    }

    fn indentation_indicator(&mut self, start: Mark) -> Res<usize> {
        if self.at(0) == b'0' {
            return Err(self.error(start, "found an indentation indicator equal to 0"));
        }
        let n = usize::from(self.at(0) - b'0');
        self.input.skip();
        Ok(n)
    }

    /// Leading blank lines of a block scalar; settles the indentation when not given.
    fn block_scalar_breaks(&mut self, indent: &mut usize, start: Mark) -> Res<()> {
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
            self.input.skip_line();
        }
        if *indent == 0 {
            *indent = max_indent.max((self.indent + 1).max(1) as usize);
        }
        Ok(())
    }

    fn document_indicator_here(&self) -> bool {
        self.input.mark.column == 0
            && ((self.at(0) == b'-' && self.at(1) == b'-' && self.at(2) == b'-')
                || (self.at(0) == b'.' && self.at(1) == b'.' && self.at(2) == b'.'))
            && is_blankz(&self.input, 3)
    }

    pub(super) fn scan_flow_scalar(&mut self, single: bool) -> Res<Token> {
        let start = self.input.mark;
        self.input.skip();
        loop {
            self.input.cache(4)?;
            if self.document_indicator_here() {
                return Err(self.error(start, "found unexpected document indicator"));
            }
            if is_z(&self.input, 0) {
                return Err(self.error(start, "found unexpected end of stream"));
            }
            while !is_blankz(&self.input, 0) {
                let c = self.at(0);
                if single && c == b'\'' && self.at(1) == b'\'' {
                    self.input.skip();
                    self.input.skip();
                } else if (single && c == b'\'') || (!single && c == b'"') {
                    break;
                } else if !single && c == b'\\' && is_break(&self.input, 1) {
                    self.input.cache(3)?;
                    self.input.skip();
                    self.input.skip_line();
                    break;
                } else if !single && c == b'\\' {
                    self.escape(start)?;
                } else {
                    self.input.skip();
                }
                self.input.cache(2)?;
            }
            self.input.cache(1)?;
            if self.at(0) == if single { b'\'' } else { b'"' } {
                break;
            }
            while is_blank(&self.input, 0) || is_break(&self.input, 0) {
                if is_blank(&self.input, 0) {
                    self.input.skip();
                } else {
                    self.input.cache(2)?;
                    self.input.skip_line();
                }
                self.input.cache(1)?;
            }
        }
        self.input.skip();
        Ok(Token::new(Kind::Scalar, start, self.input.mark))
    }

    /// One backslash escape of a double-quoted scalar.
    fn escape(&mut self, start: Mark) -> Res<()> {
        let code_length = match self.at(1) {
            b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"'
            | b'\'' | b'\\' | b'N' | b'_' | b'L' | b'P' => 0,
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => {
                return Err(self.error(start, "found unknown escape character"));
            }
        };
        self.input.skip();
        self.input.skip();
        if code_length > 0 {
            self.input.cache(code_length)?;
            let mut value: u32 = 0;
            for k in 0..code_length {
                let Some(d) = (self.at(k) as char).to_digit(16) else {
                    return Err(self.error(start, "did not find expected hexdecimal number"));
                };
                value = (value << 4) + d;
            }
            if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
                return Err(self.error(start, "found invalid Unicode character escape code"));
            }
            for _ in 0..code_length {
                self.input.skip();
            }
        }
        Ok(())
    }

    pub(super) fn scan_plain_scalar(&mut self) -> Res<Token> {
        let indent = self.indent + 1;
        let start = self.input.mark;
        let mut end = start;
        let mut leading_blanks = false;
        loop {
            self.input.cache(4)?;
            if self.document_indicator_here() || self.at(0) == b'#' {
                break;
            }
            while !is_blankz(&self.input, 0) {
                let c = self.at(0);
                if (c == b':' && is_blankz(&self.input, 1))
                    || (self.flow_level > 0 && matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                leading_blanks = false;
                self.input.skip();
                end = self.input.mark;
                self.input.cache(2)?;
            }
            if !(is_blank(&self.input, 0) || is_break(&self.input, 0)) {
                break;
            }
            self.input.cache(1)?;
            while is_blank(&self.input, 0) || is_break(&self.input, 0) {
                if is_blank_byte(self.at(0)) {
                    if leading_blanks
                        && (self.input.mark.column as isize) < indent
                        && self.at(0) == b'\t'
                    {
                        return Err(
                            self.error(start, "found a tab character that violates indentation")
                        );
                    }
                    self.input.skip();
                } else {
                    self.input.cache(2)?;
                    self.input.skip_line();
                    leading_blanks = true;
                }
                self.input.cache(1)?;
            }
            if self.flow_level == 0 && (self.input.mark.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(Token::new(Kind::Scalar, start, end))
    }
}
