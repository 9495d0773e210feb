//! A bucket backed by a local directory, listed as S3 lists one: every file
//! under the directory is an object whose key is its path relative to it
//! (`/`-separated), and a listing names the objects whose keys start with a
//! prefix, ascending by their UTF-8 bytes (ListObjectsV2). The emulator's
//! S3 face serves its buckets with it and pzr's `validate --data` reads
//! `sandbox.buckets` with it, so the two always see the same objects.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One file of a bucket's directory, as an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirObject {
    pub key: String,
    pub path: PathBuf,
    pub size: u64,
    pub last_modified: SystemTime,
}

/// The objects of the bucket in `dir` whose keys start with `prefix`, in
/// S3's key order. Only names read from the directory are joined to it, so
/// no prefix reaches outside it.
pub fn list(dir: &Path, prefix: &str) -> std::io::Result<Vec<DirObject>> {
    let mut objects = Vec::new();
    walk(dir, "", prefix, &mut objects)?;
    objects.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(objects)
}

/// Collects the files under `dir` (whose keys start `key_prefix`) that
/// start with `prefix`, skipping directories that cannot hold such keys.
fn walk(
    dir: &Path,
    key_prefix: &str,
    prefix: &str,
    out: &mut Vec<DirObject>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(String::from) else {
            continue; // Not UTF-8: no S3 key names it.
        };
        let key = format!("{key_prefix}{name}");
        let meta = entry.metadata()?;
        if meta.is_dir() {
            let sub = format!("{key}/");
            if sub.starts_with(prefix) || prefix.starts_with(&sub) {
                walk(&entry.path(), &sub, prefix, out)?;
            }
        } else if meta.is_file() && key.starts_with(prefix) {
            out.push(DirObject {
                key,
                path: entry.path(),
                size: meta.len(),
                last_modified: meta.modified()?,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_under_a_prefix_in_key_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("d/e")).unwrap();
        for f in ["d/e/2.csv", "d/1.csv", "da.csv", "z.csv"] {
            std::fs::write(dir.path().join(f), f).unwrap();
        }
        let keys = |prefix| -> Vec<String> {
            list(dir.path(), prefix)
                .unwrap()
                .into_iter()
                .map(|o| o.key)
                .collect()
        };
        assert_eq!(keys("d"), ["d/1.csv", "d/e/2.csv", "da.csv"]);
        assert_eq!(keys("d/"), ["d/1.csv", "d/e/2.csv"]);
        assert_eq!(keys("d/e/2"), ["d/e/2.csv"]);
        assert_eq!(keys("../d"), Vec::<String>::new());
        assert_eq!(keys("").len(), 4);
        let z = &list(dir.path(), "z").unwrap()[0];
        assert_eq!((z.size, z.path.clone()), (5, dir.path().join("z.csv")));
        assert!(list(&dir.path().join("none"), "").is_err());
    }
}
