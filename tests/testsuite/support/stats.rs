//! What the emulator counted between two moments of a test.

use personalize_emulator::Stats;

/// Counts of mutating requests (Create*, Delete*, Update*, Tag*, Untag*) between two stats.
pub fn mutating_since(before: &Stats, after: &Stats) -> u64 {
    after.mutating_requests() - before.mutating_requests()
}

/// Refused calls between two stats. `ResourceNotFoundException` is not a
/// refusal: a Describe answering it is how a wait learns a deletion is done.
pub fn refused_since(before: &Stats, after: &Stats) -> u64 {
    let total = |s: &Stats| {
        s.rejected
            .iter()
            .filter(|(code, _)| code.as_str() != "ResourceNotFoundException")
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    total(after) - total(before)
}

/// Requests of every operation between two stats, refused ones included.
pub fn calls_since(before: &Stats, after: &Stats) -> u64 {
    let total = |s: &Stats| s.requests.values().sum::<u64>();
    total(after) - total(before)
}
