//! Buckets backed by directories: which directory a bucket is, which file a
//! key is, and the objects under a prefix.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use personalize_facts::bucket_dir;
use sha2::{Digest, Sha256};

use super::error::S3Error;

/// Bucket name → the directory that holds its objects.
#[derive(Debug, Clone, Default)]
pub struct Buckets(BTreeMap<String, PathBuf>);

/// One object as a listing shows it: a file of the bucket's directory.
pub use personalize_facts::bucket_dir::DirObject as Object;

impl Buckets {
    pub fn new(dirs: BTreeMap<String, PathBuf>) -> Buckets {
        Buckets(dirs)
    }

    fn dir(&self, bucket: &str) -> Result<&Path, S3Error> {
        self.0
            .get(bucket)
            .map(PathBuf::as_path)
            .ok_or_else(|| S3Error::NoSuchBucket(bucket.to_string()))
    }

    /// The file of `key` in `bucket`. A key whose parts are empty, `.` or
    /// `..` names no file under the bucket's directory: it is refused, so
    /// no key reaches outside it.
    pub fn path(&self, bucket: &str, key: &str) -> Result<PathBuf, S3Error> {
        let dir = self.dir(bucket)?;
        let safe = !key.is_empty()
            && key.split('/').all(|part| {
                let mut parts = Path::new(part).components();
                matches!(
                    (parts.next(), parts.next()),
                    (Some(Component::Normal(_)), None)
                ) && !part.contains('\\')
            });
        if !safe {
            return Err(S3Error::InvalidKey(key.to_string()));
        }
        Ok(dir.join(key))
    }

    /// The object `key` of `bucket`; `NoSuchKey` if there is no such file.
    pub fn object(&self, bucket: &str, key: &str) -> Result<Object, S3Error> {
        let path = self.path(bucket, key)?;
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => Ok(Object {
                key: key.to_string(),
                size: meta.len(),
                last_modified: meta.modified()?,
                path,
            }),
            Ok(_) => Err(S3Error::NoSuchKey(key.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(S3Error::NoSuchKey(key.to_string()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Every object of `bucket` whose key starts with `prefix`, in S3's
    /// order (keys ascending by their UTF-8 bytes).
    pub fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<Object>, S3Error> {
        Ok(bucket_dir::list(self.dir(bucket)?, prefix)?)
    }
}

/// Checks a bucket name against S3's general purpose bucket naming rules
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
/// 3 to 63 characters; lowercase letters, digits, dots and hyphens; a
/// letter or digit first and last; no two adjacent dots; not an IP address;
/// none of the reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`) or
/// suffixes (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`).
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    let broken = if !(3..=63).contains(&name.len()) {
        Some("must be 3 to 63 characters long")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        Some("may hold only lowercase letters, digits, dots and hyphens")
    } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        Some("must begin and end with a letter or digit")
    } else if name.contains("..") {
        Some("must not hold two adjacent dots")
    } else if name.parse::<std::net::Ipv4Addr>().is_ok() {
        Some("must not be formatted as an IP address")
    } else if ["xn--", "sthree-", "amzn-s3-demo-"]
        .iter()
        .any(|p| name.starts_with(p))
        || ["-s3alias", "--ol-s3", ".mrap", "--x-s3"]
            .iter()
            .any(|s| name.ends_with(s))
    {
        Some("must not use a prefix or suffix S3 reserves")
    } else {
        None
    };
    match broken {
        None => Ok(()),
        Some(rule) => Err(format!("the bucket name {name:?} {rule}")),
    }
}

/// An ETag as S3 sends it: a quoted hex digest of the content (S3's is the
/// MD5 of a single-part upload; any stable content hash serves a client
/// comparing ETags).
pub fn etag(content: &[u8]) -> String {
    format!("\"{}\"", &hex::encode(Sha256::digest(content))[..32])
}

/// The ETag of a stored object.
pub fn etag_of(object: &Object) -> Result<String, S3Error> {
    Ok(etag(&std::fs::read(&object.path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets(dir: &Path) -> Buckets {
        Buckets::new(BTreeMap::from([("b".to_string(), dir.to_path_buf())]))
    }

    #[test]
    fn bucket_names_follow_s3_rules() {
        for good in ["acme-personalize", "a.b.c", "abc", "my-bucket-2"] {
            assert_eq!(check_bucket_name(good), Ok(()), "{good}");
        }
        for bad in [
            "ab",
            "Acme",
            "-ab",
            "ab-",
            "a..b",
            "192.168.1.1",
            "xn--ab",
            "ab-s3alias",
            "a_b",
        ] {
            assert!(check_bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_never_leave_the_bucket() {
        let dir = tempfile::tempdir().unwrap();
        let b = buckets(dir.path());
        for bad in [
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "",
            "a/",
            "/etc/passwd",
            "a\\..\\b",
        ] {
            assert!(
                matches!(b.path("b", bad), Err(S3Error::InvalidKey(_))),
                "{bad:?}"
            );
        }
        assert_eq!(b.path("b", "a/b.csv").unwrap(), dir.path().join("a/b.csv"));
        assert!(matches!(b.path("nope", "a"), Err(S3Error::NoSuchBucket(_))));
    }

    #[test]
    fn lists_under_a_prefix_and_finds_an_object_by_its_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("d/e")).unwrap();
        for f in ["d/e/2.csv", "z.csv"] {
            std::fs::write(dir.path().join(f), f).unwrap();
        }
        let b = buckets(dir.path());
        let listed: Vec<String> = b
            .list("b", "d")
            .unwrap()
            .into_iter()
            .map(|o| o.key)
            .collect();
        assert_eq!(listed, ["d/e/2.csv"]);
        assert!(matches!(b.list("nope", ""), Err(S3Error::NoSuchBucket(_))));
        assert!(matches!(b.object("b", "d/e"), Err(S3Error::NoSuchKey(_))));
        assert_eq!(b.object("b", "z.csv").unwrap().size, 5);
    }
}
