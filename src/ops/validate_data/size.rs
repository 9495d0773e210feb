//! The most data one dataset import job may read, checked per import
//! location against the listed sizes of the objects it reads.

use personalize_facts::import::{MAX_FULL_IMPORT_BYTES, MAX_INCREMENTAL_IMPORT_BYTES};

use super::finding::{DataFinding, Place, Problem};
use crate::spec::ImportMode;

/// The finding when `bytes` exceed what an import in `mode` may read.
pub fn check(from: &str, mode: ImportMode, bytes: u64) -> Option<DataFinding> {
    let max = match mode {
        ImportMode::Full => MAX_FULL_IMPORT_BYTES,
        ImportMode::Incremental => MAX_INCREMENTAL_IMPORT_BYTES,
    };
    (bytes > max).then(|| DataFinding {
        place: Place::whole(from),
        problem: Problem::TooLarge { mode, bytes, max },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incremental_import_reads_at_most_1_gb_and_a_full_one_100() {
        let gb = 1 << 30;
        assert!(check("s3://b/k", ImportMode::Incremental, gb).is_none());
        let over = check("s3://b/k", ImportMode::Incremental, gb + 1).expect("too large");
        assert_eq!(
            over.to_string(),
            "s3://b/k: the objects hold 1073741825 bytes, more than the 1073741824 (1 GB) a dataset import job reads in INCREMENTAL mode (https://docs.aws.amazon.com/personalize/latest/dg/limits.html)"
        );
        assert!(check("s3://b/k", ImportMode::Full, 100 * gb).is_none());
        assert!(check("s3://b/k", ImportMode::Full, 100 * gb + 1).is_some());
    }
}
