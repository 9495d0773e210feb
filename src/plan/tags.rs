//! Tag diffs, honouring the spec's `ignoreTags` globs.

use super::reason::Reason;
use crate::resource::Tags;

/// Matches `*` (any run) and `?` (one character) against a tag key.
pub fn glob_match(pattern: &str, key: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let k: Vec<char> = key.chars().collect();
    // Iterative matcher with backtracking to the last `*`: linear in practice, no recursion.
    let (mut pi, mut ki, mut star, mut mark) = (0, 0, None, 0);
    while ki < k.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == k[ki]) {
            pi += 1;
            ki += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ki;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ki = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

pub fn is_ignored(ignore: &[String], key: &str) -> bool {
    ignore.iter().any(|p| glob_match(p, key))
}

/// The tags that differ: those to set (new or changed) and the keys to remove.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagDiff {
    pub set: Tags,
    pub remove: Vec<String>,
}

impl TagDiff {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }

    /// One reason per difference, for a change's reasons.
    pub fn reasons(&self, live: &Tags) -> Vec<Reason> {
        let mut out: Vec<Reason> = self
            .set
            .iter()
            .map(|(k, v)| match live.get(k) {
                Some(old) => Reason::TagChanged {
                    key: k.clone(),
                    from: old.clone(),
                    to: v.clone(),
                },
                None => Reason::TagAdded {
                    key: k.clone(),
                    value: v.clone(),
                },
            })
            .collect();
        out.extend(
            self.remove
                .iter()
                .map(|k| Reason::TagRemoved { key: k.clone() }),
        );
        out
    }
}

pub fn diff(desired: &Tags, live: &Tags, ignore: &[String]) -> TagDiff {
    let set = desired
        .iter()
        .filter(|(k, v)| !is_ignored(ignore, k) && live.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let remove = live
        .keys()
        .filter(|k| !is_ignored(ignore, k) && !desired.contains_key(*k))
        .cloned()
        .collect();
    TagDiff { set, remove }
}

/// Tags without the ignored keys: what the plan shows and compares.
pub fn visible(tags: &Tags, ignore: &[String]) -> Tags {
    tags.iter()
        .filter(|(k, _)| !is_ignored(ignore, k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("cost-*", "cost-center"));
        assert!(glob_match("cost-*", "cost-"));
        assert!(!glob_match("cost-*", "costcenter"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("*", ""));
        assert!(glob_match("*x*y", "axbxy"));
        assert!(!glob_match("team", "teams"));
    }

    #[test]
    fn diff_skips_ignored_keys() {
        let desired: Tags = [("team".into(), "a".into()), ("cost-x".into(), "1".into())].into();
        let live: Tags = [
            ("team".into(), "b".into()),
            ("cost-y".into(), "2".into()),
            ("old".into(), "z".into()),
        ]
        .into();
        let d = diff(&desired, &live, &["cost-*".to_string()]);
        assert_eq!(d.set, [("team".to_string(), "a".to_string())].into());
        assert_eq!(d.remove, vec!["old".to_string()]);
    }
}
