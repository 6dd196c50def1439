//! Offsets: the only place where byte offsets turn into Unicode code point
//! offsets and back.
//!
//! Inside the crate every span is a byte range into the original input. The
//! SPEC's wire format counts code points (Python slicing). [`Text`] builds a
//! compact index once per input and converts in `O(log n)`.

use crate::types::Span;

/// An input text with a byte ↔ code point index.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    text: &'a str,
    /// Byte offset of every code point, plus `text.len()` at the end.
    /// Empty when the text is pure ASCII (offsets are then identical).
    starts: Vec<usize>,
}

impl<'a> Text<'a> {
    /// Index `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = if text.is_ascii() {
            Vec::new()
        } else {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            v
        };
        Text { text, starts }
    }

    /// The indexed text.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// Number of code points.
    pub fn char_len(&self) -> usize {
        if self.starts.is_empty() {
            self.text.len()
        } else {
            self.starts.len() - 1
        }
    }

    /// Code point offset of a byte offset. A byte offset inside a multi-byte
    /// character maps to the character that contains it.
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.starts.is_empty() {
            return byte.min(self.text.len());
        }
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset of a code point offset; `None` past the end.
    pub fn byte_offset(&self, chars: usize) -> Option<usize> {
        if self.starts.is_empty() {
            return (chars <= self.text.len()).then_some(chars);
        }
        self.starts.get(chars).copied()
    }

    /// A byte span as a code point range.
    pub fn char_span(&self, span: Span) -> (usize, usize) {
        (self.char_offset(span.start), self.char_offset(span.end))
    }

    /// A code point range as a byte span; `None` if out of range or reversed.
    pub fn byte_span(&self, start: usize, end: usize) -> Option<Span> {
        if start > end {
            return None;
        }
        Some(Span::new(self.byte_offset(start)?, self.byte_offset(end)?))
    }

    /// The substring a byte span covers (empty if the span is invalid).
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// Widen `[start, end)` to the nearest `char` boundaries of `text`.
pub fn snap_to_chars(text: &str, start: usize, end: usize) -> Span {
    let mut s = start.min(text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = end.min(text.len()).max(s);
    while !text.is_char_boundary(e) {
        e += 1;
    }
    Span::new(s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_identity() {
        let t = Text::new("Hallo Welt");
        assert_eq!(t.char_offset(5), 5);
        assert_eq!(t.byte_offset(10), Some(10));
        assert_eq!(t.byte_offset(11), None);
        assert_eq!(t.char_len(), 10);
    }

    #[test]
    fn umlauts_emoji_and_combining_marks() {
        // "Grüße 👋 e\u{301}" : ü and ß are 2 bytes, the emoji 4, the accent 2.
        let s = "Grüße 👋 e\u{301}x";
        let t = Text::new(s);
        let x = s.find('x').unwrap();
        assert_eq!(t.char_offset(x), s[..x].chars().count());
        assert_eq!(t.byte_offset(t.char_offset(x)), Some(x));
        assert_eq!(t.char_len(), s.chars().count());
        let wave = s.find('👋').unwrap();
        assert_eq!(
            t.char_span(Span::new(wave, wave + 4)),
            (6, 7),
            "emoji is one code point"
        );
        assert_eq!(t.byte_span(6, 7), Some(Span::new(wave, wave + 4)));
    }

    #[test]
    fn snapping_never_splits_a_char() {
        let s = "aüb";
        let sp = snap_to_chars(s, 2, 2);
        assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
        assert_eq!(snap_to_chars(s, 0, 99), Span::new(0, s.len()));
    }
}
