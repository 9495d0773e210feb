//! "Did you mean" suggestions for misspelt names: spec keys, references and
//! enum values, and the fields a filter expression names.

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let folded = fold(word);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        // Same word in another case or separator style (kms_key_arn, KmsKeyArn).
        if fold(candidate) == folded {
            return Some(candidate);
        }
        let score = strsim::jaro_winkler(&folded, &fold(candidate));
        if score >= 0.85 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn fold(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["name", "domain", "kmsKeyArn", "roleArn", "datasets"];
        assert_eq!(did_you_mean("kms_key_arn", keys), Some("kmsKeyArn"));
        assert_eq!(did_you_mean("domian", keys), Some("domain"));
        assert_eq!(did_you_mean("dataset", keys), Some("datasets"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
