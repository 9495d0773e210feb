//! "Did you mean" suggestions for misspelt names: spec keys, references and
//! enum values, and the fields a filter expression names.

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let folded = fold(word);
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(named) = same_words(word, &candidates) {
        return Some(named);
    }
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

/// For dashed names (recipes, use cases): the candidate sharing all of
/// `word`'s parts but one, the most of them and then the closest in
/// spelling. Edit distance alone prefers `aws-vod-top-picks` for
/// `aws-vod-popular-items`; the parts say `aws-vod-most-popular`.
fn same_words<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let parts = |name: &str| -> Vec<String> { name.split('-').map(str::to_lowercase).collect() };
    let wanted = parts(word);
    if wanted.len() < 3 {
        return None;
    }
    let folded = fold(word);
    candidates
        .iter()
        .filter(|c| c.contains('-'))
        .map(|c| {
            let theirs = parts(c);
            let shared = wanted.iter().filter(|p| theirs.contains(p)).count();
            (shared, strsim::jaro_winkler(&folded, &fold(c)), *c)
        })
        .filter(|(shared, _, _)| *shared + 1 >= wanted.len())
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, c)| c)
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

    #[test]
    fn dashed_names_are_matched_by_their_parts() {
        let recipes: Vec<&str> = crate::rules::recipes::RECIPES
            .iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(
            did_you_mean("aws-vod-popular-items", recipes.iter().copied()),
            Some("aws-vod-most-popular")
        );
        assert_eq!(
            did_you_mean("aws-ecomm-popular-items-by-view", recipes.iter().copied()),
            Some("aws-ecomm-popular-items-by-views")
        );
        assert_eq!(
            did_you_mean("aws-user-personalisation", recipes.iter().copied()),
            Some("aws-user-personalization")
        );
    }
}
