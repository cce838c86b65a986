//! Word count, as assessment word limits mean it.

/// The number of maximal runs of non-whitespace characters that contain at least one letter or
/// digit (Unicode). "e.g." is one word, "well-being" one, "—" none, "3.5%" one.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().filter(|run| run.chars().any(char::is_alphanumeric)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_as_defined() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("   \n\t "), 0);
        assert_eq!(word_count("e.g. well-being — done"), 3);
        assert_eq!(word_count("KS1 phonics: 27% → 79%"), 4);
        assert_eq!(word_count("naïve café Ωmega 東京"), 4);
        assert_eq!(word_count("- * • …"), 0);
        assert_eq!(word_count("line one\nline\u{00A0}two"), 4, "no-break spaces separate words too");
    }

    proptest! {
        /// Joining texts with whitespace adds their counts: no word is split or merged at the seam.
        #[test]
        fn additive_over_whitespace_joins(a in "\\PC{0,80}", b in "\\PC{0,80}", sep in "[ \\t\\n]{1,3}") {
            prop_assert_eq!(word_count(&format!("{a}{sep}{b}")), word_count(&a) + word_count(&b));
        }

        #[test]
        fn never_more_words_than_whitespace_separated_runs(t in "\\PC{0,200}") {
            prop_assert!(word_count(&t) <= t.split_whitespace().count());
        }
    }
}
