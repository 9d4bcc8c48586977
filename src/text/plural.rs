//! Counts in English words, as the tool prints them: singular for one.

/// `n` and `noun`, made plural but for one ("1 article", "3 articles"): the wording of
/// every count the tool prints. `noun` takes an `s` for its plural.
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular() {
        assert_eq!(counted(1, "article"), "1 article");
        assert_eq!(counted(0, "article"), "0 articles");
        assert_eq!(counted(3, "edge"), "3 edges");
    }
}
