//! Arabic word-level morphology: the proclitics a word may open with and the article
//! among them, the particles and surnames of names, the spellings that folding leaves
//! apart, nisba forms and pronoun suffixes. It reads words alone, so that the lexicon,
//! the resolver, the slot finder and the suggester agree on what a word is made of.

use std::borrow::Cow;

use crate::text::fold::fold_surface;

/// The longest run of proclitics, in bytes: a conjunction, a preposition and ال.
pub(crate) const MAX_PROCLITICS_BYTES: usize = "وبال".len();

/// The proclitics found before a match, inside its word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Proclitics {
    /// و or ف.
    pub conjunction: Option<char>,
    /// ب, ل or ك.
    pub preposition: Option<char>,
    /// The article ال, or the ل + ال fusion لل.
    pub definite: bool,
    /// Bytes of the prefix that belong to the reported mention. The article is part
    /// of a name («السراج»), and so is a fused لل («للسراج»); و and a separate
    /// preposition are not («والإيطاليين» is reported as «الإيطاليين»).
    pub kept: usize,
}

impl Proclitics {
    /// Parses `prefix`, the letters between a word start and a match. `None` when the
    /// letters are not a run of proclitics.
    pub fn parse(prefix: &str) -> Option<Proclitics> {
        let mut rest = prefix;
        let mut clitics = Proclitics::default();
        if let Some(c) = rest.chars().next().filter(|c| matches!(c, 'و' | 'ف')) {
            clitics.conjunction = Some(c);
            rest = &rest[c.len_utf8()..];
        }
        let after_conjunction = prefix.len() - rest.len();
        if let Some(tail) = rest.strip_prefix("لل") {
            if tail.is_empty() {
                clitics.preposition = Some('ل');
                clitics.definite = true;
                clitics.kept = prefix.len() - after_conjunction;
                return Some(clitics);
            }
        }
        if let Some(c) = rest.chars().next().filter(|c| matches!(c, 'ب' | 'ل' | 'ك')) {
            if rest.len() == c.len_utf8() || rest[c.len_utf8()..].starts_with("ال") {
                clitics.preposition = Some(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        match rest {
            "" => Some(clitics),
            "ال" => {
                clitics.definite = true;
                clitics.kept = 2 * 'ا'.len_utf8();
                Some(clitics)
            }
            _ => None,
        }
    }
}

/// Whether `prefix` is a run of proclitics, as [`Proclitics::parse`] would say, read
/// from its bytes: the scan asks this at up to four places in most words.
pub(crate) fn is_proclitic_run(prefix: &[u8]) -> bool {
    const ARTICLE: &[u8] = "ال".as_bytes();
    let mut rest = prefix;
    // و or ف.
    if let [0xD9, 0x88 | 0x81, tail @ ..] = rest {
        rest = tail;
    }
    if rest == "لل".as_bytes() {
        return true;
    }
    // ب, ل or ك: alone, or before the article.
    if let [0xD8, 0xA8, tail @ ..] | [0xD9, 0x84 | 0x83, tail @ ..] = rest {
        if tail.is_empty() || tail.starts_with(ARTICLE) {
            rest = tail;
        }
    }
    rest.is_empty() || rest == ARTICLE
}

/// The offsets in `word` (its bytes, from its start) where a match may start: the start,
/// and every place after which the letters before are a run of proclitics, ascending
/// and short of the word's end. The scan reads them off the word's first letters at once,
/// where asking [`is_proclitic_run`] of each prefix in turn would cost a call per letter.
#[inline]
pub(crate) fn match_offsets(word: &[u8]) -> Offsets {
    const ARTICLE: &[u8] = "ال".as_bytes();
    // و or ف: alone, or before the rest.
    let conjunction = match word {
        [0xD9, 0x88 | 0x81, ..] => 2,
        _ => 0,
    };
    // The start, and the end of the conjunction.
    let mut offsets = 1 | 1 << conjunction;
    let rest = &word[conjunction..];
    // ب, ل or ك alone («ب» + «مصر»), or before the article («بال» + «مصر»).
    if let [0xD8, 0xA8, tail @ ..] | [0xD9, 0x84 | 0x83, tail @ ..] = rest {
        offsets |= 1 << (conjunction + 2);
        if tail.starts_with("ل".as_bytes()) && rest.starts_with("ل".as_bytes()) {
            // ل + ال fused: «لل».
            offsets |= 1 << (conjunction + 4);
        } else if tail.starts_with(ARTICLE) {
            offsets |= 1 << (conjunction + 6);
        }
    } else if rest.starts_with(ARTICLE) {
        offsets |= 1 << (conjunction + 4);
    }
    // No match starts at or past the word's end.
    if word.len() < u16::BITS as usize {
        offsets &= (1 << word.len()) - 1;
    }
    Offsets(offsets)
}

/// Offsets in a word, for [`match_offsets`], as a bit set: bit `i` for offset `i`. The
/// largest is 8 («وبال»), and a set costs no memory and no loop to build.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Offsets(u16);

impl Iterator for Offsets {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let offset = (self.0 != 0).then(|| self.0.trailing_zeros() as usize)?;
        self.0 &= self.0 - 1;
        Some(offset)
    }
}

/// A word without the article «ال» (when at least two letters remain): how titles,
/// heads and cue lists are compared with or without it.
pub(crate) fn strip_article(word: &str) -> &str {
    match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => word,
    }
}

/// A word without the longest run of proclitics before it (و or ف, then ب، ل or ك,
/// then «ال»), when at least three letters remain: the stem the name tagger reads, so
/// that «وبالسراج» and «السراج» share their evidence.
pub(crate) fn stem(word: &str) -> &str {
    let mut best = word;
    for (at, _) in word.char_indices().skip(1).take(4) {
        if Proclitics::parse(&word[..at]).is_some() && word[at..].chars().count() >= 3 {
            best = &word[at..];
        }
    }
    best
}

/// Whether `word` carries the article after any run of proclitics («الوزير»,
/// «وبالوزير», «للوزير»), as [`Proclitics::parse`] reads them at a match.
pub(crate) fn carries_article(word: &str) -> bool {
    word.char_indices().skip(1).take(5).any(|(at, _)| {
        Proclitics::parse(&word[..at]).is_some_and(|p| p.definite)
            && word[at..].chars().count() >= 2
    })
}

/// Folded words with «ال» dropped from each: the suggester matches its lists with or
/// without the article («الوزير», «وزير»).
pub(crate) fn without_article(folded: &str) -> String {
    folded
        .split(' ')
        .map(strip_article)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Particles inside an Arabic name («تميم بن حمد», «أبو بكر»), as written or folded.
pub(crate) fn is_name_particle(word: &str) -> bool {
    matches!(word, "بن" | "بنت" | "ابن" | "ابو" | "أبو")
}

/// Particles that belong with the surname («دي مايو», «فون دير لاين»).
const SURNAME_PARTICLES: &[&str] = &["دي", "دو", "دا", "فان", "فون", "دير", "لا", "لو", "ال"];
/// Words before which a last name is a patronymic chain, not a surname («محمد بن سلمان»).
const PATRONYMIC: &[&str] = &["بن", "ابن", "بنت"];

/// Name parts written spaced or joined, which folding does not equate.
const SPELLING_PAIRS: [(&str, &str); 3] = [
    ("عبد ال", "عبدال"),
    ("أبو ال", "أبوال"),
    ("ابو ال", "ابوال"),
];

/// A letter every spelling pair holds: a surface without it has no variant, and one
/// search for a letter settles most surfaces, where six searches for a string (both
/// forms of each pair) for every surface would weigh on a run's start.
const SPELLING_PAIR_LETTER: char = 'ب';

/// Spelling variants that folding does not cover: «عبد المجيد» / «عبدالمجيد».
pub(crate) fn spelling_variants(surface: &str) -> Vec<Cow<'_, str>> {
    let mut variants = vec![Cow::Borrowed(surface)];
    if !surface.contains(SPELLING_PAIR_LETTER) {
        return variants;
    }
    for (spaced, joined) in SPELLING_PAIRS {
        if surface.contains(spaced) {
            variants.push(Cow::Owned(surface.replace(spaced, joined)));
        } else if surface.contains(joined) {
            variants.push(Cow::Owned(surface.replace(joined, spaced)));
        }
    }
    variants
}

/// The surname a person may be called by after the full name, if any.
pub(crate) fn derived_surname(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    let mut first = words.len() - 1;
    if first >= 2 && SURNAME_PARTICLES.contains(&words[first - 1]) {
        first -= 1;
    }
    if first == 0 || PATRONYMIC.contains(&words[first - 1]) {
        return None;
    }
    let surname = words[first..].join(" ");
    (surname.chars().count() >= 3).then_some(surname)
}

/// Nisba forms: masculine, feminine, plurals and dual, with and without the article.
pub(crate) fn demonym_forms(demonym: &str) -> Vec<String> {
    let bare = demonym.strip_prefix("ال").unwrap_or(demonym);
    if !bare.ends_with('ي') {
        return vec![demonym.to_string()];
    }
    // Joined by hand: `format!` is slower, and this runs for every demonym while the
    // gazetteer compiles, at a run's start.
    let join = |parts: &[&str]| {
        let mut form = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        parts.iter().for_each(|part| form.push_str(part));
        form
    };
    // «جنرالا أمريكيا»: the indefinite accusative takes an alif, and no article.
    ["", "ة", "ين", "ون", "ان", "تان", "تين"]
        .iter()
        .flat_map(|suffix| [join(&["ال", bare, suffix]), join(&[bare, suffix])])
        .chain(std::iter::once(join(&[bare, "ا"])))
        .collect()
}

/// Pronoun suffixes that end a word which then names no one.
pub(crate) const PRONOUNS: &[&str] = &["ها", "هم", "هما", "هن", "كم"];

/// A lowercase Latin spelling of Arabic letters (a gate «@CN» left out), for the ids of
/// proposed entries and of unknown actors: enough to tell them apart and recognise the
/// name, and the same for every spelling that folds alike.
pub(crate) fn romanize(text: &str) -> String {
    let mut out = String::new();
    let name = text.split_once('@').map_or(text, |(name, _)| name);
    for c in fold_surface(name).chars() {
        let latin = match c {
            'ا' | 'أ' | 'إ' | 'آ' | 'ى' => "a",
            'ب' => "b",
            'ت' => "t",
            'ث' => "th",
            'ج' => "j",
            'ح' | 'ه' => "h",
            'خ' => "kh",
            'د' => "d",
            'ذ' => "dh",
            'ر' => "r",
            'ز' => "z",
            'س' => "s",
            'ش' => "sh",
            'ص' => "s",
            'ض' => "d",
            'ط' => "t",
            'ظ' => "z",
            'ع' | 'ء' | 'ؤ' | 'ئ' => "",
            'غ' => "gh",
            'ف' => "f",
            'ق' => "q",
            'ك' => "k",
            'ل' => "l",
            'م' => "m",
            'ن' => "n",
            'و' => "w",
            'ي' => "y",
            c if c.is_ascii_alphanumeric() => {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            _ => "_",
        };
        out.push_str(latin);
    }
    let parts: Vec<&str> = out.split('_').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "name".to_string()
    } else {
        parts.join("_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_is_read_after_any_proclitics() {
        let table = [
            ("الوزير", true),
            ("وبالوزير", true),
            ("للسراج", true),
            ("فالمجلس", true),
            ("ليبيا", false),
            // «وكالة» is و + «كالة», not و + ك + «ال»; folded «آل» is no article.
            ("وكالة", false),
            ("ال", false),
        ];
        for (word, expected) in table {
            assert_eq!(carries_article(word), expected, "{word}");
        }
    }

    /// Every string of up to `most` letters from the proclitics and two others, the
    /// empty one first.
    fn proclitic_letter_strings(most: usize) -> Vec<String> {
        let letters = ['و', 'ف', 'ب', 'ل', 'ك', 'ا', 'م', 'س'];
        let mut level = vec![String::new()];
        let mut strings = level.clone();
        for _ in 0..most {
            level = level
                .iter()
                .flat_map(|p| letters.iter().map(move |&c| format!("{p}{c}")))
                .collect();
            strings.extend(level.iter().cloned());
        }
        strings
    }

    /// Every string of up to four letters from the proclitics and two others: the
    /// byte check agrees with the parser on each.
    #[test]
    fn the_byte_check_agrees_with_the_parser() {
        let prefixes = proclitic_letter_strings(4);
        for prefix in &prefixes {
            assert_eq!(
                is_proclitic_run(prefix.as_bytes()),
                Proclitics::parse(prefix).is_some(),
                "prefix {prefix:?}"
            );
        }
        assert!(prefixes.len() > 4000, "{}", prefixes.len());
    }

    /// Every string of up to five letters from the proclitics and two others, as a
    /// word: the offsets the scan tries are the start and the ends of its runs of
    /// proclitics, as the byte check finds them one prefix at a time.
    #[test]
    fn match_offsets_are_the_ends_of_proclitic_runs() {
        let words = proclitic_letter_strings(5);
        for word in &words {
            let bytes = word.as_bytes();
            let expected: Vec<usize> = word
                .char_indices()
                .map(|(at, _)| at)
                .filter(|&at| at <= MAX_PROCLITICS_BYTES)
                .filter(|&at| at == 0 || is_proclitic_run(&bytes[..at]))
                .collect();
            let offsets: Vec<usize> = match_offsets(bytes).collect();
            assert_eq!(offsets, expected, "word {word:?}");
        }
        assert!(words.len() > 37_000, "{}", words.len());
    }

    #[test]
    fn proclitic_runs_parse() {
        let cases: &[(&str, Option<(bool, usize)>)] = &[
            ("", Some((false, 0))),
            ("و", Some((false, 0))),
            ("وب", Some((false, 0))),
            ("ال", Some((true, 4))),
            ("وال", Some((true, 4))),
            ("بال", Some((true, 4))),
            ("لل", Some((true, 4))),
            ("ولل", Some((true, 4))),
            ("فلل", Some((true, 4))),
            ("س", None),
            ("بب", None),
            ("الو", None),
        ];
        for (prefix, expected) in cases {
            let parsed = Proclitics::parse(prefix).map(|p| (p.definite, p.kept));
            assert_eq!(parsed, *expected, "prefix {prefix:?}");
        }
    }

    #[test]
    fn surnames_follow_arabic_naming() {
        let cases: &[(&str, Option<&str>)] = &[
            ("فائز السراج", Some("السراج")),
            ("لويدجي دي مايو", Some("دي مايو")),
            ("عبدالمجيد تبون", Some("تبون")),
            ("محمد بن سلمان", None),
            ("تبون", None),
        ];
        for (name, expected) in cases {
            assert_eq!(derived_surname(name).as_deref(), *expected, "{name}");
        }
    }

    #[test]
    fn demonyms_inflect() {
        let forms = demonym_forms("إيطالي");
        for form in [
            "إيطالي",
            "إيطالية",
            "الإيطالي",
            "الإيطالية",
            "الإيطاليين",
            "الإيطاليون",
            "إيطاليا",
        ] {
            assert!(forms.iter().any(|f| f == form), "{form} missing");
        }
        // The accusative alif never takes the article.
        assert!(!forms.iter().any(|f| f == "الإيطاليا"));
        assert_eq!(demonym_forms("الأتراك"), vec!["الأتراك".to_string()]);
    }

    #[test]
    fn abd_names_match_joined_and_spaced() {
        assert!(spelling_variants("عبدالمجيد تبون").contains(&Cow::from("عبد المجيد تبون")));
        assert!(spelling_variants("عبد المجيد تبون").contains(&Cow::from("عبدالمجيد تبون")));
    }

    /// Every pair, either way round, gives its variant: a pair without the letter the
    /// quick test looks for would never be tried.
    #[test]
    fn every_spelling_pair_is_tried() {
        for (spaced, joined) in SPELLING_PAIRS {
            for (name, variant) in [(spaced, joined), (joined, spaced)] {
                let surface = format!("{name}رحمن");
                let expected = format!("{variant}رحمن");
                assert!(
                    spelling_variants(&surface).contains(&Cow::from(expected.as_str())),
                    "{surface}"
                );
            }
        }
    }
}
