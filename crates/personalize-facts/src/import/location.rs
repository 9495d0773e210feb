//! Which objects a dataset import job reads at `s3://bucket/key`: the
//! object named `key` when there is one, else every CSV object whose key
//! starts with it ("If your CSV files are in a folder and you want to
//! upload multiple files with one dataset import job, use this syntax
//! without the CSV file name",
//! https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html).
//! None at all is "Invalid Data location.".

/// Of `listed`, the bucket's objects whose keys start with `key` (a
/// ListObjectsV2 of that prefix), those the import reads, in listing order.
pub fn objects_read<T>(key: &str, listed: Vec<T>, key_of: impl Fn(&T) -> &str) -> Vec<T> {
    if !key.is_empty() && listed.iter().any(|o| key_of(o) == key) {
        return listed.into_iter().filter(|o| key_of(o) == key).collect();
    }
    listed
        .into_iter()
        .filter(|o| key_of(o).to_ascii_lowercase().ends_with(".csv"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_object_named_else_the_csv_objects_under_the_prefix() {
        let listed = || vec!["in", "in/a.csv", "in/b.CSV", "in/notes.txt"];
        let read = |key: &str| objects_read(key, listed(), |k| k);
        assert_eq!(read("in"), ["in"]);
        assert_eq!(read("in/"), ["in/a.csv", "in/b.CSV"]);
        assert_eq!(read(""), ["in/a.csv", "in/b.CSV"]);
        assert_eq!(read("in/notes.txt"), ["in/notes.txt"]);
    }
}
