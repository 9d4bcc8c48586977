//! Sentence segmentation over folded text.
//!
//! A sentence ends at . ! ? ؟ ؛ ; (a run of them stays together, and a full stop
//! between digits is a decimal point) and at every line break, so headings without
//! a full stop («عودة النفط») stand alone. Commas do not end sentences: a clause
//! list such as «جدد X و Y التأكيد على ...، وأن ...» is one statement.

use std::ops::Range;

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '؛' | ';' | '\n')
}

/// The sentences of `text` (folded), as byte ranges trimmed of spaces, in order.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !is_terminal(c) {
            continue;
        }
        if c == '.' {
            let before = text[..at].chars().next_back();
            let after = chars.peek().map(|&(_, c)| c);
            if before.is_some_and(|c| c.is_ascii_digit())
                && after.is_some_and(|c| c.is_ascii_digit())
            {
                continue;
            }
        }
        let mut end = at + c.len_utf8();
        while let Some(&(next_at, next)) = chars.peek() {
            if is_terminal(next) && next != '\n' {
                end = next_at + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        push_trimmed(text, start..end, &mut found);
        start = end;
    }
    push_trimmed(text, start..text.len(), &mut found);
    found
}

fn push_trimmed(text: &str, range: Range<usize>, found: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        found.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Folded;

    /// (text, expected sentences), one row per boundary phenomenon of the seed.
    const CASES: &[(&str, &[&str])] = &[
        (
            "حكومة الوفاق.. مشاركة إيطالية",
            &["حكومه الوفاق..", "مشاركه ايطاليه"],
        ),
        (
            "عودة النفط\nوناقش الرئيس السراج",
            &["عوده النفط", "وناقش الرئيس السراج"],
        ),
        (
            "التعاون المشترك؛إضافة إلى تأكيده",
            &["التعاون المشترك؛", "اضافه الي تاكيده"],
        ),
        (
            "على الأرض؛ فهل تندرج؟ وهل سنرى؟",
            &["علي الارض؛", "فهل تندرج؟", "وهل سنري؟"],
        ),
        ("بلغ 3.5 مليار. ثم", &["بلغ 3.5 مليار.", "ثم"]),
        ("عسكريا، وأن على الجميع", &["عسكريا، وان علي الجميع"]),
        ("\n\n", &[]),
    ];

    #[test]
    fn splits_where_the_seed_needs() {
        for (text, expected) in CASES {
            let folded = Folded::new(text);
            let got: Vec<&str> = sentences(&folded.text)
                .into_iter()
                .map(|r| &folded.text[r])
                .collect();
            assert_eq!(got, *expected, "in {text:?}");
        }
    }
}
