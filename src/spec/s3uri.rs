//! `s3://bucket/key` locations: parsed, with the bucket name checked against
//! S3's naming rules, and a suggestion when a common other form (an
//! `https://` object URL, an S3 ARN, `s3:/`) was written instead.

use std::net::Ipv4Addr;

/// `dataSource.dataLocation` is at most 256 characters (API shape `S3Location`).
pub const MAX_DATA_LOCATION_CHARS: usize = 256;

/// S3's general purpose bucket naming rules.
pub const BUCKET_NAMING_RULES: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html";

/// A location in S3: an object, or every object under a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    pub bucket: String,
    /// The object key or prefix; empty for the whole bucket.
    pub key: String,
}

/// Why a location is not an `s3://` URI pzr can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum S3UriError {
    #[error("`{written}` is not an s3:// location")]
    NotS3 {
        written: String,
        /// The same location as `s3://bucket/key`, when it could be read.
        suggestion: Option<String>,
    },
    #[error(
        "the location is {0} characters, and Personalize takes at most {MAX_DATA_LOCATION_CHARS}"
    )]
    TooLong(usize),
    #[error(transparent)]
    Bucket(#[from] BucketNameError),
}

/// Why a bucket name breaks S3's naming rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BucketNameError {
    #[error("the location has no bucket name")]
    Empty,
    #[error("bucket name `{0}` is not 3-63 characters long")]
    Length(String),
    #[error("bucket name `{0}` has characters other than lowercase letters, digits, `.` and `-`")]
    Characters(String),
    #[error("bucket name `{0}` does not begin and end with a letter or digit")]
    Ends(String),
    #[error("bucket name `{0}` has two adjacent periods")]
    AdjacentPeriods(String),
    #[error("bucket name `{0}` is formatted as an IP address")]
    IpAddress(String),
    #[error("bucket name `{0}` starts with `{1}`, which S3 reserves")]
    ReservedPrefix(String, &'static str),
}

/// Prefixes no bucket may start with. Reserved suffixes (`-s3alias`,
/// `--ol-s3`) are not refused: they name access point aliases, which S3
/// accepts where a bucket name goes.
const RESERVED_PREFIXES: [&str; 3] = ["xn--", "sthree-", "amzn-s3-demo-"];

impl S3Uri {
    /// Parses `s3://bucket/key-or-prefix`.
    pub fn parse(written: &str) -> Result<S3Uri, S3UriError> {
        let chars = written.chars().count();
        if chars > MAX_DATA_LOCATION_CHARS {
            return Err(S3UriError::TooLong(chars));
        }
        let Some(rest) = written.strip_prefix("s3://") else {
            return Err(S3UriError::NotS3 {
                written: written.to_string(),
                suggestion: suggestion(written),
            });
        };
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        check_bucket_name(bucket)?;
        Ok(S3Uri {
            bucket: bucket.to_string(),
            key: key.to_string(),
        })
    }
}

/// Checks `name` against S3's general purpose bucket naming rules.
pub fn check_bucket_name(name: &str) -> Result<(), BucketNameError> {
    let owned = || name.to_string();
    if name.is_empty() {
        return Err(BucketNameError::Empty);
    }
    if !(3..=63).contains(&name.len()) {
        return Err(BucketNameError::Length(owned()));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(BucketNameError::Characters(owned()));
    }
    let alphanumeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !alphanumeric(name.chars().next()) || !alphanumeric(name.chars().last()) {
        return Err(BucketNameError::Ends(owned()));
    }
    if name.contains("..") {
        return Err(BucketNameError::AdjacentPeriods(owned()));
    }
    if name.parse::<Ipv4Addr>().is_ok() {
        return Err(BucketNameError::IpAddress(owned()));
    }
    match RESERVED_PREFIXES.iter().find(|p| name.starts_with(**p)) {
        Some(prefix) => Err(BucketNameError::ReservedPrefix(owned(), prefix)),
        None => Ok(()),
    }
}

/// `s3://bucket/key` for a location written in another common form: `s3:/`,
/// `S3://`, `s3:bucket`; an S3 ARN; a virtual-hosted (`https://bucket.s3.
/// region.amazonaws.com/key`) or path-style (`https://s3.region.amazonaws.com/
/// bucket/key`) object URL.
fn suggestion(written: &str) -> Option<String> {
    let (bucket, key) = if let Some(rest) = strip_prefix_ignore_case(written, "s3:") {
        split(rest.trim_start_matches('/'))
    } else if let Some(rest) = written.strip_prefix("arn:aws:s3:::") {
        split(rest)
    } else {
        let rest = strip_prefix_ignore_case(written, "https://")
            .or_else(|| strip_prefix_ignore_case(written, "http://"))?;
        let (host, path) = split(rest);
        if !host.ends_with(".amazonaws.com") {
            return None;
        }
        match host.rfind(".s3") {
            Some(end) => (&host[..end], path),
            // Path style: the host is the endpoint, the path starts with the bucket.
            None if host.starts_with("s3") => split(path),
            None => return None,
        }
    };
    (!bucket.is_empty()).then(|| format!("s3://{bucket}/{key}"))
}

fn split(text: &str) -> (&str, &str) {
    text.split_once('/').unwrap_or((text, ""))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggested(written: &str) -> Option<String> {
        match S3Uri::parse(written) {
            Err(S3UriError::NotS3 { suggestion, .. }) => suggestion,
            other => panic!("{written}: {other:?}"),
        }
    }

    #[test]
    fn s3_uris_parse_to_bucket_and_key_or_prefix() {
        let uri = S3Uri::parse("s3://acme-data/retail/interactions/").unwrap();
        assert_eq!(
            (uri.bucket.as_str(), uri.key.as_str()),
            ("acme-data", "retail/interactions/")
        );
        assert_eq!(S3Uri::parse("s3://acme.data").unwrap().key, "");
        let long = format!("s3://acme/{}", "k".repeat(300));
        assert_eq!(S3Uri::parse(&long), Err(S3UriError::TooLong(310)));
    }

    #[test]
    fn other_forms_of_the_same_location_are_suggested() {
        let want = Some("s3://acme-data/a/b.csv".to_string());
        for written in [
            "s3:/acme-data/a/b.csv",
            "S3://acme-data/a/b.csv",
            "s3:acme-data/a/b.csv",
            "arn:aws:s3:::acme-data/a/b.csv",
            "https://acme-data.s3.amazonaws.com/a/b.csv",
            "https://acme-data.s3.us-east-1.amazonaws.com/a/b.csv",
            "https://acme-data.s3-us-west-2.amazonaws.com/a/b.csv",
            "https://s3.amazonaws.com/acme-data/a/b.csv",
            "https://s3.eu-west-1.amazonaws.com/acme-data/a/b.csv",
        ] {
            assert_eq!(suggested(written), want, "{written}");
        }
        assert_eq!(suggested("https://example.com/a.csv"), None);
        assert_eq!(suggested("data/interactions.csv"), None);
    }

    #[test]
    fn bucket_names_keep_s3s_rules() {
        for good in ["abc", "acme.data-1", &"a".repeat(63), "my-bucket-s3alias"] {
            assert_eq!(check_bucket_name(good), Ok(()), "{good}");
        }
        let bad = |name: &str| check_bucket_name(name).unwrap_err();
        assert_eq!(bad(""), BucketNameError::Empty);
        assert!(matches!(bad("ab"), BucketNameError::Length(_)));
        assert!(matches!(bad(&"a".repeat(64)), BucketNameError::Length(_)));
        assert!(matches!(bad("Acme"), BucketNameError::Characters(_)));
        assert!(matches!(bad("acme_data"), BucketNameError::Characters(_)));
        assert!(matches!(bad("-acme"), BucketNameError::Ends(_)));
        assert!(matches!(bad("acme."), BucketNameError::Ends(_)));
        assert!(matches!(bad("ac..me"), BucketNameError::AdjacentPeriods(_)));
        assert!(matches!(bad("192.168.5.4"), BucketNameError::IpAddress(_)));
        assert!(matches!(
            bad("xn--acme"),
            BucketNameError::ReservedPrefix(_, "xn--")
        ));
    }
}
