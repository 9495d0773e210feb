//! Files of the repository the tests read: the shipped examples and the
//! spec fixtures. Tests never write here; they copy what they change into
//! a temporary directory of their own.

use std::path::{Path, PathBuf};

/// A path in the repository.
pub fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Copies `examples/` (specs and their `avro/` files) into `to`.
/// The examples, their files dated before any emulator clock starts
/// ([`super::clock::START`]): a manual clock never moves as far as the
/// real time a copy gets, and an import job must be seen to start after
/// the data it read, as on AWS.
pub fn copy_examples(to: &Path) {
    copy_dir(&repo("examples"), to);
    date_before_start(to);
}

/// Dates the file `path`, or every file under the directory `path`, a day
/// before the emulator's manual clocks start.
pub fn date_before_start(path: &Path) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("read the directory") {
            date_before_start(&entry.expect("entry").path());
        }
        return;
    }
    let before = std::time::UNIX_EPOCH + std::time::Duration::from_millis(super::clock::START)
        - std::time::Duration::from_secs(86_400);
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(before).expect("set the time");
}

/// Copies the directory `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read the directory") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `tests/fixtures/spec`: a spec's directory for the offline spec tests.
pub fn spec_fixtures() -> PathBuf {
    repo("tests/fixtures/spec")
}

/// The valid fixture spec the offline spec tests derive their variants from.
pub fn valid_spec_text() -> String {
    std::fs::read_to_string(spec_fixtures().join("valid.yaml")).expect("fixture")
}
