//! The lexer's array and inline-table states, with BurntSushi/toml's error texts.

use super::{Lexer, St, is_nl, is_ws, rune_or_eof};

impl Lexer<'_> {
    pub(super) fn array_value(&mut self) -> Option<St> {
        match self.next() {
            r if is_ws(r) || is_nl(r) => {
                self.ignore();
                Some(St::ArrayValue)
            }
            '#' => {
                self.stack.push(St::ArrayValue);
                Some(St::CommentStart)
            }
            ',' => self.errorf("unexpected comma".into()),
            ']' => Some(St::ArrayEnd),
            _ => {
                self.backup();
                self.stack.push(St::ArrayValueEnd);
                Some(St::Value)
            }
        }
    }

    pub(super) fn array_value_end(&mut self) -> Option<St> {
        match self.next() {
            r if is_ws(r) || is_nl(r) => {
                self.ignore();
                Some(St::ArrayValueEnd)
            }
            '#' => {
                self.stack.push(St::ArrayValueEnd);
                Some(St::CommentStart)
            }
            ',' => {
                self.ignore();
                Some(St::ArrayValue)
            }
            ']' => Some(St::ArrayEnd),
            r => self.errorf(format!(
                "expected a comma (',') or array terminator (']'), but got {}",
                rune_or_eof(r)
            )),
        }
    }

    pub(super) fn inline_table_value(&mut self) -> Option<St> {
        match self.next() {
            r if is_ws(r) || is_nl(r) => {
                self.ignore();
                Some(St::InlineTableValue)
            }
            '#' => {
                self.stack.push(St::InlineTableValue);
                Some(St::CommentStart)
            }
            ',' => self.errorf("unexpected comma".into()),
            '}' => Some(St::InlineTableEnd),
            _ => {
                self.backup();
                self.stack.push(St::InlineTableValueEnd);
                Some(St::KeyStart)
            }
        }
    }

    pub(super) fn inline_table_value_end(&mut self) -> Option<St> {
        match self.next() {
            r if is_ws(r) || is_nl(r) => {
                self.ignore();
                Some(St::InlineTableValueEnd)
            }
            '#' => {
                self.stack.push(St::InlineTableValueEnd);
                Some(St::CommentStart)
            }
            ',' => {
                self.ignore();
                self.skip_ws();
                if self.peek() == '}' {
                    return Some(St::InlineTableValueEnd);
                }
                Some(St::InlineTableValue)
            }
            '}' => Some(St::InlineTableEnd),
            r => self.errorf(format!(
                "expected a comma or an inline table terminator '}}', but got {} instead",
                rune_or_eof(r)
            )),
        }
    }
}
