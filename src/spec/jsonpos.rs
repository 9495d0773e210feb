//! Where a JSON Pointer (RFC 6901) lands in JSON text, as a line and column,
//! so a finding about an `.avsc` file names its place in that file.
//! serde_json keeps no positions, so this walks the text itself; it is only
//! given text that already parsed as JSON.

use super::yaml::Mark;

/// The position of what `pointer` names in `text`: the key of an object
/// member, the start of an array element, the start of the text for `""`.
/// `None` when the pointer names nothing.
pub fn locate(text: &str, pointer: &str) -> Option<Mark> {
    let mut walker = Walker {
        chars: text.chars().collect(),
        at: 0,
    };
    walker.skip_space();
    let segments = pointer.split('/').skip(1).map(unescape);
    let mut mark = walker.mark();
    for segment in segments {
        mark = walker.enter(&segment)?;
    }
    Some(mark)
}

/// `~1` is `/` and `~0` is `~` (RFC 6901, section 4).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

struct Walker {
    chars: Vec<char>,
    at: usize,
}

impl Walker {
    fn mark(&self) -> Mark {
        let before = &self.chars[..self.at];
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let column = before.iter().rev().take_while(|c| **c != '\n').count() + 1;
        Mark { line, column }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    /// Moves from the container at the cursor to its child `segment`,
    /// returning where the child's key (or element) starts; the cursor is
    /// left at the child's value.
    fn enter(&mut self, segment: &str) -> Option<Mark> {
        match self.peek()? {
            '{' => {
                self.at += 1;
                loop {
                    self.skip_space();
                    if self.peek()? == '}' {
                        return None;
                    }
                    let key_mark = self.mark();
                    let key = self.string()?;
                    self.skip_space();
                    self.at += 1; // ':'
                    self.skip_space();
                    if key == segment {
                        return Some(key_mark);
                    }
                    self.skip_value()?;
                    self.skip_space();
                    if self.peek()? == ',' {
                        self.at += 1;
                    }
                }
            }
            '[' => {
                let index: usize = segment.parse().ok()?;
                self.at += 1;
                for _ in 0..index {
                    self.skip_space();
                    if self.peek()? == ']' {
                        return None;
                    }
                    self.skip_value()?;
                    self.skip_space();
                    if self.peek()? != ',' {
                        return None;
                    }
                    self.at += 1;
                }
                self.skip_space();
                (self.peek()? != ']').then(|| self.mark())
            }
            _ => None,
        }
    }

    /// Reads a string token, decoding its escapes.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        while self.peek()? != '"' {
            self.at += if self.peek()? == '\\' { 2 } else { 1 };
        }
        self.at += 1;
        let raw: String = self.chars[start..self.at].iter().collect();
        serde_json::from_str(&raw).ok()
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            '"' => {
                self.string()?;
            }
            open @ ('{' | '[') => {
                let close = if open == '{' { '}' } else { ']' };
                self.at += 1;
                loop {
                    self.skip_space();
                    match self.peek()? {
                        c if c == close => break,
                        ',' | ':' => self.at += 1,
                        _ => self.skip_value()?,
                    }
                }
                self.at += 1;
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                {
                    self.at += 1;
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"type\": \"record\",\n  \"fields\": [\n    {\"name\": \"A\", \"type\": [\"null\", {\"type\": \"array\", \"items\": \"string\"}]},\n    {\"name\": \"B\\\"x\", \"type\": \"long\"}\n  ]\n}";

    fn at(pointer: &str) -> Option<(usize, usize)> {
        locate(TEXT, pointer).map(|m| (m.line, m.column))
    }

    #[test]
    fn pointers_land_on_keys_and_elements() {
        assert_eq!(at(""), Some((1, 1)));
        assert_eq!(at("/fields"), Some((3, 3)));
        assert_eq!(at("/fields/0"), Some((4, 5)));
        assert_eq!(at("/fields/0/type"), Some((4, 19)));
        assert_eq!(at("/fields/0/type/1"), Some((4, 36)));
        assert_eq!(at("/fields/1"), Some((5, 5)));
        assert_eq!(at("/fields/1/type"), Some((5, 22)));
        assert_eq!(at("/fields/2"), None);
        assert_eq!(at("/nope"), None);
        assert_eq!(at("/type/0"), None);
    }
}
